import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { afterAll, beforeAll, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';
import { machineNote, startBenchServer } from './load.ts';

// Lighthouse 12 (performance, accessibility, best practices, SEO) on the public pages readers
// land on: the home page, a list, an article and a town's profile, each as a phone (Lighthouse's
// default: a mid-range phone on a throttled 4G link, simulated) and as a desktop, in every
// language's home and in English for the rest. Run against the built server on the demo data
// with Debian's chromium (never a downloaded browser). Prints each score and every audit that
// lost points, so a regression names its cause. Run:
//   npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/lighthouse.measure.ts
//   QALA_BENCH_ONLY=<regular expression> only the pages whose label matches.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ONLY = process.env.QALA_BENCH_ONLY ? new RegExp(process.env.QALA_BENCH_ONLY) : null;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const PAGES = [
  { label: 'home (kk)', path: '/kk/' },
  { label: 'home (ru)', path: '/ru/' },
  { label: 'home (en)', path: '/en/' },
  { label: 'resources list', path: '/en/resources/' },
  { label: 'an article', path: '/en/resources/monotown-indicator-toolkit/' },
  { label: 'town profile', path: '/en/towns/temirtau/' },
].filter((page) => !ONLY || ONLY.test(page.label));

const dir = temporaryDirectory('qala-bench-lighthouse-');
let server: Awaited<ReturnType<typeof startBenchServer>>;
let chrome: chromeLauncher.LaunchedChrome;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  server = await startBenchServer({ databaseUrl: `file:${join(dir.path, 'qala.db')}` });
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await chrome?.kill();
  await server?.stop();
  dir.remove();
});

/**
 * One Lighthouse run; run again (up to three times) when Chrome's trace of the load came out
 * unusable (NO_NAVSTART, NO_FCP), which a loaded machine now and then gives.
 */
async function audit(url: string, config: typeof desktopConfig | undefined) {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] }, config);
    if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
    if (!result.lhr.runtimeError) return result.lhr;
    if (attempt === 3) throw new Error(`${url}: ${result.lhr.runtimeError.message}`);
    console.log(`${url}: ${result.lhr.runtimeError.code}, run again`);
  }
}

it('prints Lighthouse scores of the public pages, phone and desktop', { timeout: 1_800_000 }, async () => {
  const rows: string[] = [];
  const losses: string[] = [];
  for (const page of PAGES) {
    for (const [formFactor, config] of [
      ['phone', undefined],
      ['desktop', desktopConfig],
    ] as const) {
      const lhr = await audit(server.url + page.path, config);
      const scores = CATEGORIES.map((category) => Math.round((lhr.categories[category]?.score ?? 0) * 100));
      rows.push(`${page.label.padEnd(18)} ${formFactor.padEnd(8)} ${scores.map((score) => String(score).padStart(16)).join('')}   FCP ${lhr.audits['first-contentful-paint']?.displayValue ?? '–'}, LCP ${lhr.audits['largest-contentful-paint']?.displayValue ?? '–'}, TBT ${lhr.audits['total-blocking-time']?.displayValue ?? '–'}, CLS ${lhr.audits['cumulative-layout-shift']?.displayValue ?? '–'}`);
      for (const category of CATEGORIES) {
        for (const ref of lhr.categories[category]?.auditRefs ?? []) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) losses.push(`${page.label} (${formFactor}), ${category}: ${audit.id} ${Math.round(audit.score * 100)} — ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
        }
      }
    }
  }
  console.log(`\nLighthouse 12 on the demo data, the built server; ${machineNote()}`);
  console.log(`${'page'.padEnd(18)} ${'as'.padEnd(8)} ${CATEGORIES.map((category) => category.padStart(16)).join('')}`);
  for (const row of rows) console.log(row);
  console.log(losses.length === 0 ? 'Every weighted audit passed.' : `Audits that lost points:\n${losses.map((loss) => `  ${loss}`).join('\n')}`);
});
