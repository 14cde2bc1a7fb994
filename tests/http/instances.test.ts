import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, postgresAvailableFor, testEngine } from '../helpers/database.ts';
import { removeSearchDocuments, saveSearchDocuments } from '~/server/search/documents.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { BOILER_HOUSE_CASE_FORM } from '../helpers/fixtures.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';
import { INVALID_EN, isSignedIn, request, setsSession, SIGN_IN, SIGN_OUT } from './support.ts';

/**
 * Two Qala instances on one PostgreSQL database, as behind a load balancer: what one
 * instance does, the other sees at once — sessions, sign-out, sign-in throttling,
 * notifications, a newly approved member case in lists and pages, and search documents (docs/ARCHITECTURE.md lists the state each process keeps and why it is safe).
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
    const COMPLETE: Record<string, string> = { ...BOILER_HOUSE_CASE_FORM, title: TITLE };
    const cookies = { author: '', editor: '' };
    let id: number;
    let slug: string;

    const caseRow = (caseId: number) => row<{ status: string; version: number; slug: string | null }>('select status, version, slug from member_cases where id = $1', caseId);

    beforeAll(async () => {
      if (!postgres) return;
      cookies.author = await signIn(a.url, 'temirtau@example.org', DEMO_PASSWORD);
      cookies.editor = await signIn(a.url, 'editor@example.org', DEMO_PASSWORD);
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

    it('a search document written through A\'s database is found on both at once, and its change too', async () => {
      // The case's own writer (search sources) saves its documents in the approval's
      // transaction; here the test writes one more itself, as any writer on instance A would,
      // with a word only it holds, so its change and removal are seen on their own.
      const document = { key: `cases:${id}:en`, source: 'cases', section: 'cases', lang: 'en' as const, path: `/cases/${slug}/`, title: TITLE, summary: COMPLETE.summary!, audience: 'public' as const, publishedAt: 1_800_000_000 };
      await withServerDatabase(a.databaseUrl, (db) => saveSearchDocuments(db, [document]));
      for (const server of [a, b]) {
        const html = await (await request(server.url, '/ru/search/?q=boilr+houses')).text();
        expect(html).toContain(`href="/ru/cases/${slug}/"`);
      }
      await withServerDatabase(a.databaseUrl, (db) => saveSearchDocuments(db, [{ ...document, title: 'Temirtau: zorblink heating joined' }]));
      for (const server of [a, b]) {
        const html = await (await request(server.url, '/en/search/?q=zorblink')).text();
        expect(html).toContain(`href="/en/cases/${slug}/"`);
      }
      await withServerDatabase(a.databaseUrl, (db) => removeSearchDocuments(db, [document.key]));
      for (const server of [a, b]) expect(await (await request(server.url, '/en/search/?q=zorblink')).text()).not.toContain(`/cases/${slug}/`);
    });
  });
});
