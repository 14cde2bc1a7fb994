import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/** Where each of a compiled query's parameters comes from: a call's argument, or a fixed value. */
type Slot = { argument: number } | { value: unknown };

interface Kept<Row> {
  query: CompiledQuery<Row>;
  slots: Slot[];
}

/** Stands in for argument `index` while the query is built; never a value a caller passes. */
const stand = (index: number) => `\u0000qala-argument-${index}\u0000`;

/**
 * A query whose shape never changes, built and compiled by kysely once per database
 * (the SQL text differs between SQLite and PostgreSQL, so it is kept per `db` object)
 * and then run with each call's values. kysely otherwise builds the operation tree and
 * compiles it again on every call: for the session check and the unread count, which
 * every signed-in page makes, that cost more CPU than SQLite's answer.
 *
 * `build` must pass each argument to kysely only as a value it binds (`where(…, '=', arg)`,
 * `limit(arg)`), never use it in JavaScript (no `arg.length`, no branches on it): it is
 * called once, with stand-ins. The first call checks that every stand-in became a bound
 * parameter and none reached the SQL text, so a builder that breaks the rule fails at once.
 */
export function compiledOnce<Args extends unknown[], Row, DB>(
  build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>,
): (db: Kysely<DB>, ...args: Args) => Promise<Row[]> {
  const kept = new WeakMap<Kysely<DB>, Kept<Row>>();
  const compile = (db: Kysely<DB>): Kept<Row> => {
    const stands = Array.from({ length: build.length - 1 }, (_, index) => stand(index));
    const query = build(db, ...(stands as Args)).compile();
    const slots = query.parameters.map((value): Slot => {
      const argument = typeof value === 'string' ? stands.indexOf(value) : -1;
      return argument === -1 ? { value } : { argument };
    });
    const bound = new Set(slots.flatMap((slot) => ('argument' in slot ? [slot.argument] : [])));
    if (bound.size !== stands.length || stands.some((text) => query.sql.includes(text))) {
      throw new Error(`compiledOnce: every argument must be a bound value of the query (${query.sql})`);
    }
    return { query, slots };
  };
  return async (db, ...args) => {
    let entry = kept.get(db);
    if (!entry) kept.set(db, (entry = compile(db)));
    const parameters = entry.slots.map((slot) => ('argument' in slot ? args[slot.argument] : slot.value));
    const { rows } = await db.executeQuery<Row>({ ...entry.query, parameters });
    return rows;
  };
}
