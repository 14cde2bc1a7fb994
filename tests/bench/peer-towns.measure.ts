import { afterAll, beforeAll, describe, it } from 'vitest';
import { INDICATORS } from '~/lib/indicators/catalogue.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { findPeerTowns, latestPublishedFigures } from '~/server/towns/peers.ts';
import { createTestDatabase } from '../helpers/database.ts';

// "Towns like yours" at national scale: 1,000 member towns with ten years of every
// indicator published (100,000 figures). Prints p50/p95 of findPeerTowns (its two
// queries and the scoring) on the engine under test (QALA_TEST_ENGINE=sqlite|postgres).
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/peer-towns.measure.ts
const TOWNS = 1_000;
const YEARS = 10;
const ROUNDS = 100;

let handle: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  handle = await createTestDatabase();
  const { db } = handle;
  const regions = TAXONOMIES.regions.map((term) => term.id);
  const industries = TAXONOMIES.industries.map((term) => term.id);
  for (let start = 0; start < TOWNS; start += 200) {
    const rows = Array.from({ length: 200 }, (_, k) => {
      const i = start + k;
      return { slug: `town-${i}`, name_kk: `Қала ${i}`, name_ru: `Город ${i}`, name_en: `Town ${i}`, region: regions[i % regions.length]!, population: 5_000 + ((i * 7919) % 400_000), main_industry: industries[i % industries.length]!, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 0, updated_at: 0 };
    });
    await db.insertInto('towns').values(rows).execute();
  }
  const towns = await db.selectFrom('towns').select('id').execute();
  const values = towns.flatMap(({ id }) => INDICATORS.flatMap((indicator, n) => Array.from({ length: YEARS }, (_, y) => ({ town_id: id, indicator: indicator.id, period: 2015 + y, value: indicator.min + ((id * 31 + n * 17 + y * 7) % 100) / 100 * (indicator.max - indicator.min), source_note: 'bench', illustrative: 1 as const, published_at: 1, created_at: 0, updated_at: 0 }))));
  for (let start = 0; start < values.length; start += 500) await db.insertInto('indicator_values').values(values.slice(start, start + 500)).execute();
}, 600_000);
afterAll(() => handle?.cleanup());

describe('towns like yours at national scale', () => {
  it(`findPeerTowns over ${TOWNS} towns and ${TOWNS * INDICATORS.length * YEARS} figures`, async () => {
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await findPeerTowns(handle.db, { slug: `town-${(round * 37) % TOWNS}` });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    const query: number[] = [];
    for (let round = 0; round < 20; round++) {
      const started = performance.now();
      await latestPublishedFigures(handle.db);
      query.push(performance.now() - started);
    }
    query.sort((a, b) => a - b);
    console.log(`latestPublishedFigures alone: p50 ${query[10]!.toFixed(1)} ms`);
    console.log(`findPeerTowns (${process.env.QALA_TEST_ENGINE ?? 'sqlite'}): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms over ${ROUNDS} rounds`);
  });
});
