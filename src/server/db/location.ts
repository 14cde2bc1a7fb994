/**
 * Where the database is: a SQLite file or a PostgreSQL server. DATABASE_URL says
 * which (`file:…` or `postgres://…`); everything past the connection only sees
 * `Kysely<Database>` and never which engine runs it.
 */
export type DatabaseLocation = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(value: string): boolean {
  return POSTGRES_URL.test(value);
}

/**
 * Why a DATABASE_URL cannot be used, or undefined when it can. A PostgreSQL URL needs
 * a host and a database name; a file: URL needs a path.
 */
export function databaseUrlProblem(value: string): string | undefined {
  if (/^file:.+/.test(value)) return undefined;
  if (!isPostgresUrl(value)) return 'must be a file: URL such as file:db/qala.db or a postgres:// URL such as postgres://qala@localhost:5432/qala';
  if (!URL.canParse(value)) return `is not a valid URL: ${redactPassword(value)}`;
  const url = new URL(value);
  if (url.hostname === '' && !url.searchParams.has('host')) return 'needs a host, e.g. postgres://qala@localhost:5432/qala';
  if (url.pathname.replace(/^\//, '') === '') return 'needs a database name, e.g. postgres://qala@localhost:5432/qala';
  return undefined;
}

/** The URL with any password replaced by `***`, for messages and logs. */
export function redactPassword(value: string): string {
  return value.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** A location for a DATABASE_URL already accepted by `databaseUrlProblem`; file paths resolve against `cwd`. */
export function databaseLocation(value: string, cwd: string): DatabaseLocation {
  if (isPostgresUrl(value)) return { engine: 'postgres', url: value };
  const file = value.slice('file:'.length);
  return { engine: 'sqlite', path: file === ':memory:' || file.startsWith('/') ? file : `${cwd.replace(/\/$/, '')}/${file}` };
}

/** A short description for logs and messages (never with the password). */
export function describeLocation(location: DatabaseLocation): string {
  return location.engine === 'sqlite' ? location.path : redactPassword(location.url);
}
