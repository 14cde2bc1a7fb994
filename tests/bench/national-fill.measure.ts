import { it } from 'vitest';
import { nationalPostgres, nationalSqlite, postgresUnavailable } from './national.ts';

// Fills (or checks) the kept national data set, SQLite and PostgreSQL, without measuring:
// the PostgreSQL copy takes long, so start this in the background before the benches.
//   npx vitest run --config vitest.bench.config.ts tests/bench/national-fill.measure.ts
it('fills the national data set', { timeout: 7_200_000 }, async () => {
  const started = performance.now();
  console.log(`SQLite ${await nationalSqlite()} ready after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const skip = await postgresUnavailable();
  if (skip) return console.log(`PostgreSQL not filled: ${skip}`);
  const filled = await nationalPostgres();
  console.log(`PostgreSQL ${filled.url} ready after ${((performance.now() - started) / 1000).toFixed(0)} s${filled.note ? `: ${filled.note}` : ''}`);
});
