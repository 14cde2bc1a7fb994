import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, postgresAvailableFor, testEngine } from '../helpers/database.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';
import { INVALID_EN, isSignedIn, request, setsSession, SIGN_IN, SIGN_OUT } from './support.ts';

/**
 * Two Qala instances on one PostgreSQL database, as behind a load balancer: what one
 * instance does, the other sees at once — sessions, sign-out, sign-in throttling,
 * notifications, and a newly approved member case in lists, pages and the run-time
 * search index (docs/ARCHITECTURE.md lists the state each process keeps and why it is safe).
 * Without a reachable PostgreSQL server the file is skipped with a notice, except with
 * CI=true, where that fails, as for the data tests (vitest.config.ts).
 */

// PostgreSQL-only by nature: it runs in the http:postgres project, not again in http:sqlite.
const postgres = testEngine() === 'postgres' && (await postgresAvailableFor('the two-instance test'));

let database: Awaited<ReturnType<typeof createPostgresTestDatabase>> | undefined;
let pool: pg.Pool | undefined;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  if (!postgres) return;
  database = await createPostgresTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // Both start at once on the empty database, as after a deploy: migrations and the
  // demo data must happen once (the second waits for the first's write lock).
  const started = await Promise.allSettled([startServer({ databaseUrl: database.url }), startServer({ databaseUrl: database.url })]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // Stop the one that did start, so no server outlives the file.
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw failed.reason;
  }
  [a, b] = started.map((result) => (result as PromiseFulfilledResult<RunningServer>).value) as [RunningServer, RunningServer];
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await pool?.end();
  await database?.drop();
});

async function row<T>(text: string, ...values: unknown[]): Promise<T> {
  const result = await pool!.query(text, values);
  return result.rows[0] as T;
}

describe.skipIf(!postgres)('two instances on one PostgreSQL database', () => {
  it('started together, they create the demo data once', () => {
    const seeded = [a, b].filter((server) => server.output().includes('demo data created'));
    expect(seeded).toHaveLength(1);
  });

  it('a member signed in on A is signed in on B, and signing out on A ends the session on B', async () => {
    const cookie = await signIn(a.url, 'ridder@example.org', DEMO_PASSWORD);
    expect(await isSignedIn(b.url, cookie)).toBe(true);
    expect((await postForm(a.url, SIGN_OUT, {}, { cookie })).status).toBe(303);
    expect(await isSignedIn(b.url, cookie)).toBe(false);
    expect(await isSignedIn(a.url, cookie)).toBe(false);
  });

  it('sign-in throttling counts attempts on both: 3 on A and 2 on B lock the account on both', async () => {
    for (const [server, attempts] of [[a, 3], [b, 2]] as const) {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const response = await postForm(server.url, SIGN_IN, { email: 'admin@example.org', password: 'not-the-password' });
        expect(response.status).toBe(401);
        expect(await response.text()).toContain(INVALID_EN);
      }
    }
    for (const server of [a, b]) {
      const sixth = await postForm(server.url, SIGN_IN, { email: 'admin@example.org', password: DEMO_PASSWORD });
      expect(sixth.status).toBe(429);
      expect(await sixth.text()).toContain('Too many sign-in attempts');
      expect(setsSession(sixth)).toBe(false);
    }
  });

  describe('a member case approved on A', () => {
    const TITLE = 'Temirtau: one boiler house for three districts';
    const COMPLETE: Record<string, string> = {
      title: TITLE,
      summary: 'Temirtau joined three district boiler houses into one and cut heat losses.',
      languages: 'en',
      topics: 'utilities-housing',
      period: '2023–2025',
      funding: 'Town budget',
      costAmount: '120000000',
      costCurrency: 'KZT',
      contactName: 'Dana Akhmetova',
      contactRole: 'Housing department, Temirtau akimat',
      contactEmail: '',
      context: 'Three districts had a boiler house each.',
      challenge: 'Each ran at a third of its power.',
      approach: 'One boiler house with a new main.',
      obstacles: 'Digging through winter.',
      results: 'Heat losses fell by a quarter.',
      nextSteps: 'A fourth district.',
      ind1Name: 'Boiler houses',
      ind1Before: '3',
      ind1After: '1',
      ind1Unit: 'boiler houses',
      ind1Year: '2025',
    };
    const cookies = { author: '', editor: '' };
    let id: number;
    let slug: string;
    let pagesBefore: number;

    const caseRow = (caseId: number) => row<{ status: string; version: number; slug: string | null }>('select status, version, slug from member_cases where id = $1', caseId);
    const entryOf = async (server: RunningServer) => {
      const response = await request(server.url, '/pagefind-cases/pagefind-entry.json');
      expect(response.status).toBe(200);
      return (await response.json()) as { languages: Record<string, { hash: string; page_count: number }> };
    };
    const pageCount = (entry: Awaited<ReturnType<typeof entryOf>>) => Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);

    beforeAll(async () => {
      if (!postgres) return;
      cookies.author = await signIn(a.url, 'temirtau@example.org', DEMO_PASSWORD);
      cookies.editor = await signIn(a.url, 'editor@example.org', DEMO_PASSWORD);
      // Both instances hold an index of the cases as they are before the approval.
      const [entryA, entryB] = await Promise.all([entryOf(a), entryOf(b)]);
      expect(entryB).toEqual(entryA);
      pagesBefore = pageCount(entryA);
    });

    it('the notification the editor\'s request for changes creates through A is on B', async () => {
      const draft = await postForm(a.url, '/en/account/cases/new/?_action=cases.save', { title: 'A draft', languages: 'en', intent: 'save' }, { cookie: cookies.author });
      expect(draft.status).toBe(303);
      id = Number(draft.headers.get('location')!.match(/^\/en\/account\/cases\/(\d+)\//)![1]);
      const submitted = await postForm(a.url, `/en/account/cases/${id}/?_action=cases.save`, { id: String(id), version: '1', ...COMPLETE, intent: 'submit' }, { cookie: cookies.author });
      expect(submitted.status).toBe(303);
      const decided = await postForm(
        a.url,
        `/en/editor/cases/${id}/?_action=cases.decide`,
        { id: String(id), version: String((await caseRow(id)).version), decision: 'requestChanges', reason: 'Please give the heat losses in gigacalories.' },
        { cookie: cookies.editor },
      );
      expect(decided.status).toBe(303);

      expect(await (await request(b.url, '/en/user-menu/', { cookie: cookies.author })).text()).toMatch(/Notifications \(\d+ new\)/);
      expect(await (await request(b.url, '/en/account/notifications/', { cookie: cookies.author })).text()).toContain(`Changes requested: ${TITLE}`);
    });

    it('resubmitted and approved on A, it is on B\'s case list and its page answers on both', async () => {
      const resubmitted = await postForm(a.url, `/en/account/cases/${id}/?_action=cases.save`, { id: String(id), version: String((await caseRow(id)).version), ...COMPLETE, intent: 'submit' }, { cookie: cookies.author });
      expect(resubmitted.status).toBe(303);
      const approved = await postForm(a.url, `/en/editor/cases/${id}/?_action=cases.decide`, { id: String(id), version: String((await caseRow(id)).version), decision: 'approve' }, { cookie: cookies.editor });
      expect(approved.status).toBe(303);
      const approvedRow = await caseRow(id);
      expect(approvedRow.status).toBe('approved');
      slug = approvedRow.slug!;

      expect(await (await request(b.url, '/en/cases/')).text()).toContain(`href="/en/cases/${slug}/"`);
      for (const server of [a, b]) {
        const page = await request(server.url, `/en/cases/${slug}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(`<h1>${TITLE}</h1>`);
      }
    });

    it('B serves the search files A\'s new entry file names, though B has not read its own entry since', async () => {
      const entryA = await entryOf(a);
      expect(pageCount(entryA)).toBe(pagesBefore + 1);
      const files = metaHashes(await searchFile(b, metaPath(entryA)));
      expect(files.pages).toHaveLength(pageCount(entryA));
      const fragment = await fragmentOf(b, files.pages, `/en/cases/${slug}/`);
      expect(fragment.title).toBe(TITLE);
      // The index chunks with the words, and the filters, are served too.
      expect(files.others.length).toBeGreaterThan(0);
      for (const hash of files.others) expect(await searchStatus(b, hash), hash).toBe(200);
    });

    it('B\'s own entry file names the same files, and A serves B\'s fragment of the case', async () => {
      const entryB = await entryOf(b);
      expect(entryB).toEqual(await entryOf(a));
      const files = metaHashes(await searchFile(b, metaPath(entryB)));
      const fromB = await fragmentOf(b, files.pages, `/en/cases/${slug}/`);
      const fromA = await searchFile(a, `fragment/${fromB.hash}.pf_fragment`);
      expect(fromA.bytes).toEqual(fromB.bytes);
    });

    it('a file neither instance has is still not found', async () => {
      for (const server of [a, b]) expect((await request(server.url, '/pagefind-cases/fragment/ru_0000000.pf_fragment')).status).toBe(404);
    });
  });
});

/** The meta file an entry file names (the one language Qala's case index has). */
function metaPath(entry: { languages: Record<string, { hash: string }> }): string {
  const [language] = Object.values(entry.languages);
  return `pagefind.${language!.hash}.pf_meta`;
}

/** A Pagefind file from a server: 200, and its content unpacked (gzip, then Pagefind's signature). */
async function searchFile(server: RunningServer, path: string): Promise<{ bytes: Buffer; text: string }> {
  const response = await request(server.url, `/pagefind-cases/${path}`);
  expect(response.status, path).toBe(200);
  const bytes = gunzipSync(Buffer.from(await response.arrayBuffer()));
  expect(bytes.subarray(0, 12).toString('latin1')).toBe('pagefind_dcd');
  return { bytes, text: bytes.subarray(12).toString('utf8') };
}

async function searchStatus(server: RunningServer, hash: string): Promise<number> {
  for (const path of [`index/${hash}.pf_index`, `filter/${hash}.pf_filter`]) {
    const response = await request(server.url, `/pagefind-cases/${path}`);
    await response.arrayBuffer();
    if (response.status === 200) return 200;
  }
  return 404;
}

/**
 * The files a meta file names: its pages' fragments, in index order, and its index
 * chunks and filters. The meta file is CBOR: [version, pages [[hash, words, …]],
 * chunks [[from, to, hash]], filters [[name, hash]], …].
 */
function metaHashes(meta: { bytes: Buffer }): { pages: string[]; others: string[] } {
  const [, pages, chunks, filters] = decodeCbor(meta.bytes.subarray(12)) as [string, string[][], string[][], string[][]];
  return { pages: pages.map((page) => page[0]!), others: [...chunks.map((chunk) => chunk[2]!), ...filters.map((filter) => filter[1]!)] };
}

/** Just enough of CBOR (RFC 8949) for Pagefind's meta file: numbers, strings, arrays, maps. */
function decodeCbor(bytes: Buffer): unknown {
  let at = 0;
  const length = (info: number): number => {
    if (info < 24) return info;
    const size = 2 ** (info - 24);
    const value = Number(bytes.readUIntBE(at, Math.min(size, 6)));
    at += size;
    return value;
  };
  const item = (): unknown => {
    const head = bytes[at++]!;
    const major = head >> 5;
    const count = length(head & 31);
    if (major === 0) return count;
    if (major === 1) return -1 - count;
    if (major === 2 || major === 3) {
      const part = bytes.subarray(at, at + count);
      at += count;
      return major === 3 ? part.toString('utf8') : part;
    }
    if (major === 4) return Array.from({ length: count }, item);
    if (major === 5) return Object.fromEntries(Array.from({ length: count }, () => [item(), item()]));
    throw new Error(`CBOR type ${major} at ${at - 1} is not expected in a Pagefind meta file`);
  };
  return item();
}

/**
 * The fragment of the page at `url` among the pages' fragments `pages` names, fetched
 * from `server`; every one of them must be served.
 */
async function fragmentOf(server: RunningServer, pages: string[], url: string): Promise<{ hash: string; bytes: Buffer; title: string }> {
  let found: { hash: string; bytes: Buffer; title: string } | undefined;
  for (const hash of pages) {
    const { bytes, text } = await searchFile(server, `fragment/${hash}.pf_fragment`);
    const fragment = JSON.parse(text) as { url: string; meta: { title: string } };
    if (fragment.url === url) found = { hash, bytes, title: fragment.meta.title };
  }
  if (!found) throw new Error(`no fragment for ${url} among ${pages.length} pages`);
  return found;
}
