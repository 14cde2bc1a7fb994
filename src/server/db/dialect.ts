import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The few places where SQLite and PostgreSQL need different SQL, each chosen here
 * once. Everything else Qala writes is standard SQL through kysely and runs on both.
 */

/** Which engine runs a kysely handle. */
export type Engine = 'sqlite' | 'postgres';

/** The engine behind `db` (read from its adapter, so transactions answer too). */
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Picks the value for the engine behind `db`. */
export function byEngine<T>(db: Kysely<any>, choices: Record<Engine, T>): T {
  return choices[engineOf(db)];
}

/** The smaller of two values, each an expression or a value (SQLite's two-argument `min`, PostgreSQL's `least`). */
export function least<T = number>(db: Kysely<any>, a: unknown, b: unknown): RawBuilder<T> {
  return engineOf(db) === 'postgres' ? sql<T>`least(${a}, ${b})` : sql<T>`min(${a}, ${b})`;
}

/** The larger of two values (SQLite's two-argument `max`, PostgreSQL's `greatest`). */
export function greatest<T = number>(db: Kysely<any>, a: unknown, b: unknown): RawBuilder<T> {
  return engineOf(db) === 'postgres' ? sql<T>`greatest(${a}, ${b})` : sql<T>`max(${a}, ${b})`;
}

/**
 * A column reference the planner must not use an index for: SQLite's unary `+`, which
 * keeps it walking the index already in the list's order instead of one that serves
 * a filter and then sorting every match. PostgreSQL has no such hint (and no unary
 * `+` on text); its planner weighs the sort itself.
 */
export function unindexed(db: Kysely<any>, column: string): RawBuilder<unknown> {
  return engineOf(db) === 'postgres' ? sql.ref(column) : sql`+${sql.ref(column)}`;
}

/**
 * `column LIKE pattern` ignoring case on both engines, as SQLite's `LIKE` does for
 * ASCII (PostgreSQL's `LIKE` is case-sensitive; its `ILIKE` is not). A backslash
 * escapes `%`, `_` and itself in the pattern on both (SQLite has no escape character
 * unless told).
 */
export function likeIgnoringCase(db: Kysely<any>, column: string, pattern: string): RawBuilder<boolean> {
  const operator = engineOf(db) === 'postgres' ? sql.raw('ILIKE') : sql.raw('LIKE');
  return sql<boolean>`${sql.ref(column)} ${operator} ${pattern} ESCAPE '\\'`;
}

/**
 * True when `error` is a unique or primary-key violation, recognised by its code on
 * both engines (SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY from better-sqlite3, 23505
 * from PostgreSQL), never by its message.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
