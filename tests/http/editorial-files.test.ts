import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { exe, pdf, postMultipart } from '../helpers/files.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * Files to download on portal items through the built server: an author adds one on the
 * item's edit page (a multipart form, no JavaScript), a refused type is answered 400 on
 * the same page, the public cannot download a draft's file, and once the item is
 * published its page lists the file and anyone downloads the same bytes as an attachment.
 */
const server = useServer();

const cookies: Record<'author' | 'editor' | 'member', string> = { author: '', editor: '', member: '' };
beforeAll(async () => {
  cookies.author = await signIn(server.url, 'author@example.org', DEMO_PASSWORD);
  cookies.editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
  cookies.member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
});

const NEWS = {
  collection: 'news',
  lang: 'ru',
  title: 'Шаблон сметы для городов',
  summary: 'Ассоциация публикует шаблон сметы, который города могут скачать и заполнить.',
  date: '2026-11-26',
  topics: ['planning-governance'],
  body: 'Скачайте шаблон ниже.',
};
const filesOf = (itemId: number) =>
  readRows(server.databaseUrl, sql<{ id: number; name: string; media_type: string }>`SELECT f.id, f.name, f.media_type FROM editorial_files e JOIN files f ON f.id = e.file_id WHERE e.item_id = ${itemId} ORDER BY f.id`);
const version = async (id: number) => (await readRows(server.databaseUrl, sql<{ version: number }>`SELECT version FROM editorial_items WHERE id = ${id}`))[0]!.version;

describe('files to download on portal items', () => {
  it('an author adds a file, a bad type is refused; the public downloads it only after publication', async () => {
    const made = await postForm(server.url, '/ru/editor/content/new/?collection=news&_action=editorial.save', { ...NEWS, slug: 'estimate-template', intent: 'save' }, { cookie: cookies.author });
    expect(made.status).toBe(303);
    const id = Number(made.headers.get('location')!.match(/\/ru\/editor\/content\/(\d+)\//)![1]);
    const page = `/ru/editor/content/${id}/?lang=ru`;

    // A program disguised as a PDF: 400 on the same page, with the reason, nothing stored.
    const refused = await postMultipart(server.url, `${page}&_action=editorial.addFile`, { id: String(id) }, [{ field: 'file', name: 'template.pdf', bytes: exe() }], { cookie: cookies.author });
    expect(refused.status).toBe(400);
    const refusedPage = await refused.text();
    expectCleanClientError(400, refusedPage);
    expect(refusedPage).toContain('id="field-file"');
    expect(refusedPage).toContain('Файлы этого типа не принимаются.');
    expect(await filesOf(id)).toEqual([]);

    // A member may not add files to the association's items.
    const member = await postMultipart(server.url, `${page}&_action=editorial.addFile`, { id: String(id) }, [{ field: 'file', name: 'x.pdf', bytes: pdf() }], { cookie: cookies.member });
    expect(member.status).toBe(403);

    const bytes = pdf();
    const added = await postMultipart(server.url, `${page}&_action=editorial.addFile`, { id: String(id) }, [{ field: 'file', name: 'Смета 2026.pdf', bytes }], { cookie: cookies.author });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`${page}&done=fileAdded`);
    const [file] = await filesOf(id);
    expect(file).toMatchObject({ media_type: 'application/pdf' });
    const edit = await (await request(server.url, page, { cookie: cookies.author })).text();
    expect(edit).toContain(file!.name);
    expect(edit).toContain(`/ru/files/${file!.id}/`);

    // A draft's file: not found for the public and for a member, there for the author.
    expect((await request(server.url, `/ru/files/${file!.id}/`)).status).toBe(404);
    expect((await request(server.url, `/ru/files/${file!.id}/`, { cookie: cookies.member })).status).toBe(404);
    expect((await request(server.url, `/ru/files/${file!.id}/`, { cookie: cookies.author })).status).toBe(200);

    const published = await postForm(server.url, `${page}&_action=editorial.step`, { id: String(id), version: String(await version(id)), intent: 'publish' }, { cookie: cookies.editor });
    expect(published.status).toBe(303);

    const itemPage = await request(server.url, '/ru/news/estimate-template/');
    expect(itemPage.status).toBe(200);
    const html = await itemPage.text();
    expect(html).toContain('Файлы для скачивания');
    expect(html).toContain(`href="/ru/files/${file!.id}/"`);
    expect(html).toMatch(/\(PDF, \d+ КБ\)/);

    const got = await request(server.url, `/ru/files/${file!.id}/`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(got.headers.get('content-disposition')).toContain('.pdf');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(new Uint8Array(bytes));

    // Files follow the version: one added to the published item drafts a revision and waits for its publication.
    const later = await postMultipart(server.url, `${page}&_action=editorial.addFile`, { id: String(id) }, [{ field: 'file', name: 'Форма.pdf', bytes: pdf() }], { cookie: cookies.author });
    expect(later.status).toBe(303);
    const laterFile = (await filesOf(id)).find((row) => row.id !== file!.id)!;
    expect((await request(server.url, `/ru/files/${laterFile.id}/`)).status).toBe(404);
    expect((await request(server.url, `/ru/files/${laterFile.id}/`, { cookie: cookies.member })).status).toBe(404);
    expect((await request(server.url, `/ru/files/${laterFile.id}/`, { cookie: cookies.author })).status).toBe(200);
    expect(await (await request(server.url, '/ru/news/estimate-template/')).text()).not.toContain(`/ru/files/${laterFile.id}/`);
    expect(await (await request(server.url, page, { cookie: cookies.author })).text()).toContain('станет доступен всем после публикации этой версии');

    // Removed by its author (files.remove, the shared rules): off the revision, still public until it is published.
    const removed = await postForm(server.url, `${page}&_action=files.remove`, { file: String(file!.id) }, { cookie: cookies.author });
    expect(removed.status).toBe(303);
    expect((await filesOf(id)).map((row) => row.id)).toEqual([laterFile.id]);
    expect((await request(server.url, `/ru/files/${file!.id}/`)).status).toBe(200);
    expect(await (await request(server.url, '/ru/news/estimate-template/')).text()).toContain(`/ru/files/${file!.id}/`);

    const republished = await postForm(server.url, `${page}&_action=editorial.step`, { id: String(id), version: String(await version(id)), intent: 'publish' }, { cookie: cookies.editor });
    expect(republished.status).toBe(303);
    expect((await request(server.url, `/ru/files/${file!.id}/`)).status).toBe(404);
    expect((await request(server.url, `/ru/files/${laterFile.id}/`)).status).toBe(200);
    const after = await (await request(server.url, '/ru/news/estimate-template/')).text();
    expect(after).toContain(`/ru/files/${laterFile.id}/`);
    expect(after).not.toContain(`/ru/files/${file!.id}/`);
  });
});
