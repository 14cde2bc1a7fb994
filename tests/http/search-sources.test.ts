import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase } from '../helpers/database.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { BOILER_HOUSE_CASE_FORM } from '../helpers/fixtures.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * Search documents on the built server: two instances started together on one database
 * (a SQLite file, or PostgreSQL) write the content files' and the demo data's documents
 * once, and what a person changes through either instance — an approved member case, a
 * saved town profile, a new public group — is in search_documents the moment the
 * request answers, for every instance, without a rebuild.
 */

let database: Awaited<ReturnType<typeof createServerDatabase>>;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  database = await createServerDatabase();
  const started = await Promise.allSettled([startServer({ databaseUrl: database.url }), startServer({ databaseUrl: database.url })]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw failed.reason;
  }
  [a, b] = started.map((result) => (result as PromiseFulfilledResult<RunningServer>).value) as [RunningServer, RunningServer];
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.remove();
});

const rows = <T>(query: Parameters<typeof readRows<T>>[1]) => readRows<T>(database.url, query);
const documentsLike = (pattern: string) =>
  rows<{ key: string; audience: string; path: string; title: string; body: string }>(sql`select key, audience, path, title, body from search_documents where key like ${pattern} order by key`);

describe('starting', () => {
  it('two instances starting together write the content files’ documents once, and the demo data’s', async () => {
    const built = JSON.parse(readFileSync(join(process.cwd(), 'dist', 'search-content.json'), 'utf8')) as Array<{ key: string }>;
    expect(built.length).toBeGreaterThan(50);
    const content = await rows<{ key: string }>(sql`select key from search_documents where source = 'content' order by key`);
    expect(content.map((row) => row.key)).toEqual(built.map((document) => document.key).sort());
    const syncs = await rows<{ name: string }>(sql`select name from search_syncs order by name`);
    expect(syncs.map((row) => row.name)).toEqual(['content', 'database']);
    // Every demo town, in each language; the catalogue; the demo groups, requests and profiles.
    const towns = await rows<{ n: number }>(sql`select count(*) as n from towns`);
    const townDocuments = await documentsLike('towns:%');
    expect(townDocuments).toHaveLength(Number(towns[0]!.n) * 3);
    expect((await documentsLike('indicators:%')).length).toBeGreaterThan(0);
    for (const source of ['groups', 'requests', 'members']) expect((await documentsLike(`${source}:%`)).length, source).toBeGreaterThan(0);
    // The content documents are not served to the public.
    expect((await request(a.url, '/search-content.json')).status).toBe(404);
    // Nor are the build's own: one entry's document (what a content-only rebuild asks the kept bundle for), the inputs' digests.
    expect((await request(a.url, `/search-content.json?key=${encodeURIComponent(built[0]!.key)}`)).status).toBe(404);
    expect((await request(a.url, '/search-inputs.json')).status).toBe(404);
  });
});

describe('changes through either instance are in search at once', () => {
  let editor: { a: string; b: string };
  beforeAll(async () => {
    editor = { a: await signIn(a.url, 'editor@example.org', DEMO_PASSWORD), b: await signIn(b.url, 'editor@example.org', DEMO_PASSWORD) };
  });

  it('a public group created on B is public at once', async () => {
    const created = await postForm(
      b.url,
      '/en/editor/groups/?_action=groups.create',
      { slug: 'district-heating', nameKk: 'Жылумен жабдықтау', nameRu: 'Теплоснабжение', nameEn: 'District heating', purposeKk: 'Жылу желілері', purposeRu: 'Тепловые сети', purposeEn: 'Heating networks', type: 'forum', visibility: 'open', rhythm: 'monthly', descriptionPublic: 'on' },
      { cookie: editor.b },
    );
    expect(created.status).toBe(303);
    const [group] = await rows<{ id: number }>(sql`select id from groups where slug = 'district-heating'`);
    const documents = await documentsLike(`groups:${group!.id}:%`);
    expect(documents.map((document) => [document.key, document.audience, document.path, document.title])).toEqual([
      [`groups:${group!.id}:en`, 'public', '/groups/district-heating/', 'District heating'],
      [`groups:${group!.id}:kk`, 'public', '/groups/district-heating/', 'Жылумен жабдықтау'],
      [`groups:${group!.id}:ru`, 'public', '/groups/district-heating/', 'Теплоснабжение'],
    ]);
  });

  it('a town profile saved on A is rewritten at once', async () => {
    const admin = await signIn(a.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
    const fields = await formOf(a, 'temirtau', admin);
    fields.description_en = 'A steel town on the Samarkand reservoir.';
    const saved = await postForm(a.url, '/en/towns/temirtau/edit/?_action=towns.saveProfile', { town: 'temirtau', ...fields }, { cookie: admin });
    expect(saved.status).toBeLessThan(400);
    const [english] = await documentsLike('towns:temirtau:en');
    expect(english!.body).toContain('Samarkand reservoir');
    expect(english!.body).toMatch(/temirtau/);
    expect(english!.body).toContain('Теміртау');
  });

  it('a member case approved on B is public at once; taken down on A, it is gone', async () => {
    const author = await signIn(a.url, 'temirtau@example.org', DEMO_PASSWORD);
    const draft = await postForm(a.url, '/en/account/cases/new/?_action=cases.save', { title: 'A draft', languages: 'en', intent: 'save' }, { cookie: author });
    expect(draft.status).toBe(303);
    const id = Number(draft.headers.get('location')!.match(/^\/en\/account\/cases\/(\d+)\//)![1]);
    const version = async () => Number((await rows<{ version: number }>(sql`select version from member_cases where id = ${id}`))[0]!.version);
    const submitted = await postForm(a.url, `/en/account/cases/${id}/?_action=cases.save`, { id: String(id), version: String(await version()), ...BOILER_HOUSE_CASE_FORM, intent: 'submit' }, { cookie: author });
    expect(submitted.status).toBe(303);
    expect(await documentsLike(`member-cases:${id}:%`)).toEqual([]);
    const approved = await postForm(b.url, `/en/editor/cases/${id}/?_action=cases.decide`, { id: String(id), version: String(await version()), decision: 'approve' }, { cookie: editor.b });
    expect(approved.status).toBe(303);
    const [slug] = await rows<{ slug: string }>(sql`select slug from member_cases where id = ${id}`);
    expect((await documentsLike(`member-cases:${id}:%`)).map((document) => [document.key, document.audience, document.path, document.title])).toEqual([
      [`member-cases:${id}:en`, 'public', `/cases/${slug!.slug}/`, BOILER_HOUSE_CASE_FORM.title],
    ]);
    const takenDown = await postForm(a.url, `/en/editor/cases/${id}/?_action=cases.unpublish`, { id: String(id), reason: 'The figures need a source.' }, { cookie: editor.a });
    expect(takenDown.status).toBeLessThan(400);
    expect(await documentsLike(`member-cases:${id}:%`)).toEqual([]);
  });
});

/** The fields of a town's edit form as the page fills them, to post back with one change. */
async function formOf(server: RunningServer, town: string, cookie: string): Promise<Record<string, string>> {
  const body = await (await request(server.url, `/en/towns/${town}/edit/`, { cookie })).text();
  const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields: Record<string, string> = {};
  for (const [tag] of body.matchAll(/<input [^>]*>/g)) {
    const name = tag.match(/ name="([a-z_]+)"/)?.[1];
    if (name) fields[name] = decode(tag.match(/ value="([^"]*)"/)?.[1] ?? '');
  }
  for (const match of body.matchAll(/<textarea id="field-([a-z_]+)" name="\1"[^>]*>([^<]*)<\/textarea>/g)) fields[match[1]!] = decode(match[2]!);
  for (const match of body.matchAll(/<select id="field-([a-z_]+)" name="\1"[\s\S]*?<\/select>/g)) fields[match[1]!] = match[0].match(/<option value="([^"]*)" selected/)?.[1] ?? '';
  return fields;
}
