import { availableParallelism } from 'node:os';
import { z } from 'astro/zod';
import { isTimeZone } from '~/lib/time-zone.ts';
import { databaseLocation, databaseUrlProblem, type DatabaseLocation } from './db/location.ts';

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
    .superRefine((value, context) => {
      const problem = databaseUrlProblem(value);
      if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    })
    .optional(),
  ORIGIN: z
    .string()
    .refine(isOrigin, 'must be an origin such as https://qala.example.org, with no path')
    .transform((value) => value.replace(/\/$/, ''))
    .optional(),
  ALLOW_HTTP_ORIGIN: booleanFlag.default('false'),
  SITE_URL: z
    .string()
    .refine(isOrigin, 'must be an origin such as http://localhost:4321, with no path')
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
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters, e.g. the output of `openssl rand -hex 32`')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  // Read by src/lib/time-zone.ts (also while building); checked here so a bad value stops the server.
  TIME_ZONE: z.string().refine(isTimeZone, 'must be a time zone name such as Asia/Almaty').optional(),
  FILES_TOWN_QUOTA_MB: z.coerce.number().int().min(1).max(1_000_000).default(500),
  STATIC_CACHE_MB: z.coerce.number().int().min(0).max(1_000_000).default(128),
  PAGE_CACHE_MB: z.coerce.number().int().min(0).max(1_000_000).default(32),
  QALA_WORKERS: z
    .string()
    .regex(/^(auto|[1-9][0-9]?)$/, 'must be auto or a whole number from 1 to 99')
    .default('1'),
});

/** Configuration after validation, as the rest of the code sees it. */
export interface Config {
  production: boolean;
  host: string;
  port: number;
  /** The database: a SQLite file (absolute path) or a PostgreSQL server (URL). */
  database: DatabaseLocation;
  /** True when no DATABASE_URL was given and the embedded demo database is used. */
  embeddedDatabase: boolean;
  /** Public origin (scheme, host, port) when the deployment declares one. */
  origin: string | undefined;
  /** Outside production, the address absolute links use when ORIGIN is not set (SITE_URL). */
  siteUrl: string | undefined;
  /** How many reverse proxies in front of Qala may be believed about the client address. */
  trustedProxyHops: number;
  /** Whether an empty database is filled with demo towns and accounts. */
  demoData: boolean;
  /** SMTP server for outgoing mail; without one, mail goes to the outbox admins read. */
  smtpUrl: string | undefined;
  /** The From of outgoing mail. */
  mailFrom: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The bearer token `GET /metrics` asks for; without one, /metrics does not exist. */
  metricsToken: string | undefined;
  /** How many bytes of shared files each town may store (FILES_TOWN_QUOTA_MB). */
  filesTownQuotaBytes: number;
  /** How many bytes of static files (pages, assets, their encodings) each process keeps in memory (STATIC_CACHE_MB). */
  staticCacheBytes: number;
  /** How many bytes of on-demand pages for anonymous readers each process keeps, compressed (PAGE_CACHE_MB; 0: none). */
  pageCacheBytes: number;
  /** How many worker processes `serve` runs (QALA_WORKERS; auto = one per core). */
  workers: number;
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
  // Secure cookies and HSTS mean nothing over plain http; only a deliberate setting allows it.
  if (production && values.ORIGIN?.startsWith('http:') && !values.ALLOW_HTTP_ORIGIN) {
    throw new ConfigError('Invalid configuration:\n  ORIGIN: must be https:// when NODE_ENV=production (set ALLOW_HTTP_ORIGIN=true to allow http://)');
  }
  return {
    production,
    host: values.HOST,
    port: values.PORT,
    database: databaseLocation(values.DATABASE_URL ?? `file:${DEFAULT_DATABASE_FILE}`, cwd),
    embeddedDatabase,
    origin: values.ORIGIN,
    siteUrl: production ? undefined : values.SITE_URL,
    trustedProxyHops: values.TRUST_PROXY,
    demoData: values.DEMO_DATA ?? embeddedDatabase,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    logLevel: values.LOG_LEVEL,
    metricsToken: values.METRICS_TOKEN,
    filesTownQuotaBytes: values.FILES_TOWN_QUOTA_MB * 1024 * 1024,
    staticCacheBytes: values.STATIC_CACHE_MB * 1024 * 1024,
    pageCacheBytes: values.PAGE_CACHE_MB * 1024 * 1024,
    workers: values.QALA_WORKERS === 'auto' ? availableParallelism() : Number(values.QALA_WORKERS),
  };
}

const LISTENING_PORT = Symbol.for('qala.listeningPort');
const portHolder = globalThis as { [LISTENING_PORT]?: number };

/**
 * Records the port the server really listens on (PORT=0 picks one), so links built
 * from the configured host and port name it. The server entry and the Astro bundle
 * each have their own copy of this module, hence the global.
 */
export function recordListeningPort(port: number): void {
  portHolder[LISTENING_PORT] = port;
}

/**
 * The origin absolute links (in mail, calendar files, shared links) point to, from
 * configuration only and never from a request header: ORIGIN; else, outside production,
 * SITE_URL; else the configured host and the port Qala listens on.
 */
export function publicOrigin(settings: Pick<Config, 'origin' | 'siteUrl' | 'host' | 'port'>): string {
  if (settings.origin) return settings.origin;
  if (settings.siteUrl) return settings.siteUrl;
  // An address that listens everywhere is reached from this machine as localhost.
  const host = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return `http://${host}:${portHolder[LISTENING_PORT] ?? settings.port}`;
}

let cached: Config | undefined;

/** The process's configuration, validated once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
