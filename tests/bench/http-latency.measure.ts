import { afterAll, beforeAll, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';

// Server time per request for the pages the foundation serves, measured over loopback
// with one client at a time (latency, not throughput). Run: npm run bench
const ROUNDS = 500;
let server: RunningServer;
let cookie: string;

beforeAll(async () => {
  server = await startServer();
  cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
});
afterAll(() => server?.stop());

async function measure(label: string, path: string, headers: Record<string, string> = {}) {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS + 50; i++) {
    const started = performance.now();
    const response = await fetch(server.url + path, { headers, redirect: 'manual' });
    await response.arrayBuffer();
    if (i >= 50) times.push(performance.now() - started); // the first 50 warm up
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  console.log(`${label.padEnd(38)} p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  p99 ${at(0.99)} ms  (${ROUNDS} requests)`);
}

it('prints request latency', async () => {
  await measure('prerendered page /en/', '/en/');
  await measure('prerendered page /en/, brotli', '/en/', { 'Accept-Encoding': 'br' });
  await measure('hashed asset (CSS)', (await fetch(`${server.url}/en/`).then((r) => r.text())).match(/href="(\/_astro\/[^"]+\.css)"/)![1]!);
  await measure('on-demand sign-in page, anonymous', '/en/sign-in/');
  await measure('user menu partial, signed in', '/en/user-menu/', { Cookie: cookie });
  await measure('account page, signed in', '/en/account/', { Cookie: cookie });
  await measure('/healthz', '/healthz');
  const rss = (await import('node:child_process')).execSync(`ps -o rss= -p ${server.pid}`).toString().trim();
  console.log(`server resident memory after the run: ${(Number(rss) / 1024).toFixed(0)} MiB`);
});
