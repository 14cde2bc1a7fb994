import { z } from 'astro/zod';

/**
 * Every setting Qala reads from the environment, with its default.
 * The server entry, the CLI and the Astro pages all read configuration through
 * `loadConfig`, so one schema decides what is valid, and a bad value stops the
 * process with a message that names the variable.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '');
}

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4321),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'must be a file: URL such as file:db/qala.db (PostgreSQL is not supported yet)')
    .optional(),
  ORIGIN: z
    .string()
    .refine(isOrigin, 'must be an origin such as https://qala.example.org, with no path')
    .transform((value) => value.replace(/\/$/, ''))
    .optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  DEMO_DATA: booleanFlag.optional(),
  SMTP_URL: z
    .string()
    .refine((value) => /^smtps?:\/\/[^\s]+$/.test(value) && URL.canParse(value), 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.org')
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).refine((value) => !/[\r\n]/.test(value), 'must be one line').default('Qala <no-reply@localhost>'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** Configuration after validation, as the rest of the code sees it. */
export interface Config {
  production: boolean;
  host: string;
  port: number;
  /** Absolute path of the SQLite file. */
  databasePath: string;
  /** True when no DATABASE_URL was given and the embedded demo database is used. */
  embeddedDatabase: boolean;
  /** Public origin (scheme, host, port) when the deployment declares one. */
  origin: string | undefined;
  /** How many reverse proxies in front of Qala may be believed about the client address. */
  trustedProxyHops: number;
  /** Whether an empty database is filled with demo towns and accounts. */
  demoData: boolean;
  /** SMTP server for outgoing mail; without one, mail goes to the outbox admins read. */
  smtpUrl: string | undefined;
  /** The From of outgoing mail. */
  mailFrom: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Raised when the environment holds a missing or invalid setting. */
export class ConfigError extends Error {}

/** Where the embedded database lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_FILE = 'db/qala.db';

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  const production = values.NODE_ENV === 'production';
  const embeddedDatabase = values.DATABASE_URL === undefined;
  if (production && embeddedDatabase) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required when NODE_ENV=production (the embedded database is for the demo)');
  }
  if (production && values.DEMO_DATA === true) {
    throw new ConfigError('Invalid configuration:\n  DEMO_DATA: demo accounts are never created when NODE_ENV=production');
  }
  if (production && values.ORIGIN === undefined) {
    throw new ConfigError('Invalid configuration:\n  ORIGIN: required when NODE_ENV=production, e.g. https://qala.example.org');
  }
  const file = embeddedDatabase ? DEFAULT_DATABASE_FILE : values.DATABASE_URL!.slice('file:'.length);
  return {
    production,
    host: values.HOST,
    port: values.PORT,
    databasePath: file === ':memory:' ? file : resolvePath(cwd, file),
    embeddedDatabase,
    origin: values.ORIGIN,
    trustedProxyHops: values.TRUST_PROXY,
    demoData: values.DEMO_DATA ?? embeddedDatabase,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    logLevel: values.LOG_LEVEL,
  };
}

function resolvePath(cwd: string, file: string): string {
  return file.startsWith('/') ? file : `${cwd.replace(/\/$/, '')}/${file}`;
}

let cached: Config | undefined;

/** The process's configuration, validated once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
