import { sql, type RawBuilder } from 'kysely';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { exe, jpegWithLocation, pdf, png, postMultipart } from '../helpers/files.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * Shared files through the built server: multipart forms without JavaScript, types
 * judged by content, size limits and the town quota with messages on the same form
 * (what was typed kept, nothing stored), access for each role, download headers,
 * removal, a town's photo stripped of its metadata, and a group's library. The quota
 * is 1 MB here, so that a test can fill it.
 */
const server = useServer({ env: { FILES_TOWN_QUOTA_MB: '1' } });

const rows = <T>(query: RawBuilder<T>) => readRows(server.databaseUrl, query);
const fileCount = async () => Number((await rows(sql<{ n: number }>`SELECT count(*) AS n FROM files`))[0]!.n);
const blobCount = async () => Number((await rows(sql<{ n: number }>`SELECT count(*) AS n FROM file_blobs`))[0]!.n);
const filesOf = (kind: string, id: number) => rows(sql<{ id: number; name: string; media_type: string; size: number }>`SELECT id, name, media_type, size FROM files WHERE attached_kind = ${kind} AND attached_id = ${id} ORDER BY id`);
const groupId = async (slug: string) => (await rows(sql<{ id: number }>`SELECT id FROM groups WHERE slug = ${slug}`))[0]!.id;
const threadId = async (title: string) => (await rows(sql<{ id: number }>`SELECT id FROM group_threads WHERE title = ${title}`))[0]?.id;
const auditOf = (fileId: number) => rows(sql<{ actor_id: string | null; target_type: string | null; details: string | null }>`SELECT actor_id, target_type, details FROM audit_log WHERE action = 'file.removed' AND target_id = ${String(fileId)}`);
const userId = async (email: string) => (await rows(sql<{ id: string }>`SELECT id FROM users WHERE email = ${email}`))[0]!.id;
const requestIds = async (title: string) => (await rows(sql<{ id: number }>`SELECT id FROM help_requests WHERE title = ${title} ORDER BY id`)).map((row) => row.id);

const EMAILS = ['ridder@example.org', 'temirtau@example.org', 'temirtau-admin@example.org', 'editor@example.org', 'aksu@example.org', 'rudny@example.org'] as const;
type Email = (typeof EMAILS)[number];
const cookies = {} as Record<Email, string>;
beforeAll(async () => {
  for (const email of EMAILS) cookies[email] = await signIn(server.url, email, DEMO_PASSWORD);
});

const newThread = (slug: string) => `/en/groups/${slug}/?_action=groups.createThread`;
const download = (id: number, who: Email | null) => request(server.url, `/en/files/${id}/`, who ? { cookie: cookies[who] } : {});
const requestFields = (title: string, intent: 'publish' | 'draft' = 'publish') => ({ title, body: 'We need a tender template for heat meters, please.', helpForms: ['advice'], topics: ['utilities-housing'], languages: ['ru'], urgency: 'normal', intent });

/** A thread posted in a group with files; its id. */
async function threadWith(slug: string, title: string, who: Email, files: Parameters<typeof postMultipart>[3]): Promise<number> {
  const response = await postMultipart(server.url, newThread(slug), { group: String(await groupId(slug)), title, body: 'Please see the attached files.' }, files, { cookie: cookies[who] });
  expect(response.status, await response.clone().text()).toBe(303);
  return (await threadId(title))!;
}

describe('attaching files without JavaScript', () => {
  it('a thread takes several files, each stored as the type its content is', async () => {
    const id = await threadWith('utilities-renewal', 'Heat meter tender', 'ridder@example.org', [
      { field: 'attachments', name: 'plan.pdf', bytes: await png() },
      { field: 'attachments', name: 'tariffs.csv', bytes: Buffer.from('town;tariff\nRidder;11.2\n') },
      { field: 'attachments', name: 'Техзадание.pdf', bytes: pdf() },
    ]);
    expect((await filesOf('thread', id)).map((file) => [file.name, file.media_type])).toEqual([
      ['plan.png', 'image/png'],
      ['tariffs.csv', 'text/csv'],
      ['Техзадание.pdf', 'application/pdf'],
    ]);
    const page = await (await request(server.url, `/en/groups/utilities-renewal/threads/${id}/`, { cookie: cookies['ridder@example.org'] })).text();
    expect(page).toContain('Attached files');
    expect(page).toMatch(/href="\/en\/files\/\d+\/" download="plan.png"[^>]*>plan.png<\/a>/);
  });

  it('an empty file input sends no file and attaches nothing', async () => {
    const id = await threadWith('utilities-renewal', 'No attachment here', 'ridder@example.org', [{ field: 'attachments', name: '', bytes: Buffer.alloc(0) }]);
    expect(await filesOf('thread', id)).toEqual([]);
  });

  it('refuses a renamed program, an empty file and one above 20 MB on the same form, keeping what was typed and storing nothing', async () => {
    const before = { files: await fileCount(), blobs: await blobCount() };
    const cases: Array<[Parameters<typeof postMultipart>[3][number], string]> = [
      [{ field: 'attachments', name: 'minutes.pdf', bytes: exe() }, 'This type of file is not accepted'],
      [{ field: 'attachments', name: 'empty.pdf', bytes: Buffer.alloc(0) }, 'The file is empty'],
      [{ field: 'attachments', name: 'huge.pdf', bytes: Buffer.concat([pdf(), Buffer.alloc(20 * 1024 * 1024)]) }, 'The file is larger than 20 MB'],
    ];
    for (const [file, message] of cases) {
      const title = `Refused upload ${file.name}`;
      const response = await postMultipart(server.url, newThread('utilities-renewal'), { group: String(await groupId('utilities-renewal')), title, body: 'Typed with care.' }, [file], { cookie: cookies['ridder@example.org'] });
      const body = await response.text();
      expect(response.status, file.name).toBe(400);
      expectCleanClientError(response.status, body);
      expect(body).toContain(message);
      expect(body).toContain(`value="${title}"`);
      expect(body).toContain('Typed with care.');
      expect(await threadId(title)).toBeUndefined();
    }
    expect({ files: await fileCount(), blobs: await blobCount() }).toEqual(before);
  });

  it('asks who is posting before it reads a file: a non-member is refused for that, not for the file', async () => {
    const response = await postMultipart(server.url, newThread('utilities-renewal'), { group: String(await groupId('utilities-renewal')), title: 'Not a member', body: 'Hello.' }, [{ field: 'attachments', name: 'minutes.pdf', bytes: exe() }], { cookie: cookies['aksu@example.org'] });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('This type of file is not accepted');
  });

  it('answers a body above the upload limit with 413 and a clear message, never 500', async () => {
    const response = await postMultipart(server.url, newThread('utilities-renewal'), { group: String(await groupId('utilities-renewal')), title: 'Far too big', body: 'x' }, [{ field: 'attachments', name: 'big.pdf', bytes: Buffer.alloc(23 * 1024 * 1024) }], { cookie: cookies['ridder@example.org'] });
    const body = await response.text();
    expect(response.status).toBe(413);
    expectCleanClientError(response.status, body);
    expect(body).toContain('larger than 20 MB, so nothing was saved');
    expect(await threadId('Far too big')).toBeUndefined();
  });

  it('keeps a plain (urlencoded) form within 1 MB: only multipart forms carry files', async () => {
    const response = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { ...requestFields('Too long a plain form'), body: 'x'.repeat(1024 * 1024 + 10) }, { cookie: cookies['rudny@example.org'] });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('larger than 1 MB');
    expect(await requestIds('Too long a plain form')).toEqual([]);
  });

  it('keeps a town within its quota: the message is on the form, and the post is not made', async () => {
    // 1 MB here: a 700 KB file fits once, not twice.
    const study = Buffer.concat([pdf(), Buffer.alloc(700 * 1024)]);
    const first = await postMultipart(server.url, '/en/exchange/new/?_action=exchange.saveRequest', requestFields('Feasibility study of a bypass road'), [{ field: 'attachments', name: 'study.pdf', bytes: study }], { cookie: cookies['rudny@example.org'] });
    expect(first.status).toBe(303);
    const second = await postMultipart(server.url, '/en/exchange/new/?_action=exchange.saveRequest', requestFields('A second feasibility study'), [{ field: 'attachments', name: 'study2.pdf', bytes: study }], { cookie: cookies['rudny@example.org'] });
    const body = await second.text();
    expect(second.status).toBe(400);
    expect(body).toContain('Your town has used its space for shared files');
    expect(body).toContain('value="A second feasibility study"');
    expect(await requestIds('A second feasibility study')).toEqual([]);
    expect(await filesOf('request', (await requestIds('Feasibility study of a bypass road'))[0]!)).toHaveLength(1);
  });
});

describe('who downloads what', () => {
  let openFile: number;
  let privateFile: number;
  let requestFile: number;
  let draftFile: number;
  beforeAll(async () => {
    openFile = (await filesOf('thread', await threadWith('utilities-renewal', 'Slides from the March meeting', 'ridder@example.org', [{ field: 'attachments', name: 'slides.pdf', bytes: pdf() }])))[0]!.id;
    privateFile = (await filesOf('thread', await threadWith('municipal-finance', 'Budget draft', 'ridder@example.org', [{ field: 'attachments', name: 'budget.pdf', bytes: pdf() }])))[0]!.id;
    const posted = await postMultipart(server.url, '/en/exchange/new/?_action=exchange.saveRequest', requestFields('Tender template for heat meters'), [{ field: 'attachments', name: 'template.pdf', bytes: pdf() }], { cookie: cookies['temirtau@example.org'] });
    expect(posted.status).toBe(303);
    requestFile = (await filesOf('request', (await requestIds('Tender template for heat meters'))[0]!))[0]!.id;
    const draft = await postMultipart(server.url, '/en/exchange/new/?_action=exchange.saveRequest', requestFields('A draft with a file', 'draft'), [{ field: 'attachments', name: 'draft.pdf', bytes: pdf() }], { cookie: cookies['temirtau@example.org'] });
    expect(draft.status).toBe(303);
    draftFile = (await filesOf('request', (await requestIds('A draft with a file'))[0]!))[0]!.id;
  });

  it('answers each role as the thing the file is attached to does', async () => {
    const table: Array<[string, () => number, Record<string, number>]> = [
      // An open group's thread: its members and editors; a member of the association outside the group is refused.
      ['open group thread', () => openFile, { public: 303, 'ridder@example.org': 200, 'temirtau-admin@example.org': 200, 'aksu@example.org': 403, 'editor@example.org': 200 }],
      // A private group's: for anyone outside it, it does not exist.
      ['private group thread', () => privateFile, { public: 303, 'ridder@example.org': 200, 'temirtau@example.org': 404, 'editor@example.org': 200 }],
      // A published request: every member, of any town.
      ['published request', () => requestFile, { public: 303, 'temirtau@example.org': 200, 'ridder@example.org': 200, 'editor@example.org': 200 }],
      // A draft: its own town only.
      ['draft request', () => draftFile, { public: 303, 'temirtau-admin@example.org': 200, 'ridder@example.org': 404 }],
    ];
    for (const [what, id, expected] of table) {
      for (const [who, status] of Object.entries(expected)) {
        const response = await download(id(), who === 'public' ? null : (who as Email));
        expect(response.status, `${what} for ${who}`).toBe(status);
        if (status === 303) expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\//);
        if (status >= 400) expectCleanClientError(status, await response.text());
      }
    }
    expect((await download(999_999, 'editor@example.org')).status).toBe(404);
    expect((await request(server.url, '/en/files/not-a-number/', { cookie: cookies['editor@example.org'] })).status).toBe(404);
  });

  it('a response and a reply carry files too, for whoever may read them', async () => {
    const requestId = (await requestIds('Tender template for heat meters'))[0]!;
    const answered = await postMultipart(server.url, `/en/exchange/${requestId}/?_action=exchange.respond`, { request: String(requestId), body: 'Here is the template we used in Ridder last year.', links: '' }, [{ field: 'attachments', name: 'ridder-template.pdf', bytes: pdf() }], { cookie: cookies['ridder@example.org'] });
    expect(answered.status).toBe(303);
    const responseId = (await rows(sql<{ id: number }>`SELECT id FROM help_responses WHERE request_id = ${requestId} ORDER BY id DESC LIMIT 1`))[0]!.id;
    const [answerFile] = await filesOf('response', responseId);
    expect(answerFile?.name).toBe('ridder-template.pdf');
    expect((await download(answerFile!.id, 'temirtau@example.org')).status).toBe(200);
    expect((await download(answerFile!.id, null)).status).toBe(303);

    const thread = await threadId('Slides from the March meeting');
    const group = String(await groupId('utilities-renewal'));
    const replied = await postMultipart(server.url, `/en/groups/utilities-renewal/threads/${thread}/?_action=groups.reply`, { group, thread: String(thread), body: 'And the minutes.' }, [{ field: 'attachments', name: 'minutes.txt', bytes: Buffer.from('Minutes of the March meeting\n') }], { cookie: cookies['temirtau-admin@example.org'] });
    expect(replied.status).toBe(303);
    const replyId = (await rows(sql<{ id: number }>`SELECT id FROM group_replies WHERE thread_id = ${thread} ORDER BY id DESC LIMIT 1`))[0]!.id;
    const [minutes] = await filesOf('reply', replyId);
    expect(minutes).toMatchObject({ name: 'minutes.txt', media_type: 'text/plain' });
    // The thread page reads its own files and its replies' in one query: the reply's is shown under it.
    const threadPage = await (await request(server.url, `/en/groups/utilities-renewal/threads/${thread}/`, { cookie: cookies['ridder@example.org'] })).text();
    expect(threadPage).toMatch(new RegExp(`id="reply-${replyId}"[\\s\\S]*download="minutes.txt"`));
    const text = await download(minutes!.id, 'ridder@example.org');
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await download(minutes!.id, 'aksu@example.org')).status).toBe(403);
  });

  it('sends a file as a download that never runs as a page of the site', async () => {
    const response = await download(openFile, 'ridder@example.org');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="slides.pdf"; filename*=UTF-8''slides.pdf`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf())).toBe(true);
  });

  it('names a download in UTF-8 (RFC 5987), with an ASCII fallback', async () => {
    const id = await threadWith('utilities-renewal', 'Cyrillic name', 'ridder@example.org', [{ field: 'attachments', name: 'Отчёт.pdf', bytes: pdf() }]);
    const response = await download((await filesOf('thread', id))[0]!.id, 'ridder@example.org');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="_____.pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.pdf`);
  });
});

describe('removing an attachment', () => {
  it('its uploader removes it, for everyone; someone else may not', async () => {
    const thread = await threadWith('utilities-renewal', 'A file to remove', 'ridder@example.org', [{ field: 'attachments', name: 'old.pdf', bytes: pdf() }]);
    const [file] = await filesOf('thread', thread);
    const page = `/en/groups/utilities-renewal/threads/${thread}/?_action=files.remove`;
    const refused = await postForm(server.url, page, { file: String(file!.id) }, { cookie: cookies['temirtau@example.org'] });
    expect([403, 404]).toContain(refused.status);
    expect((await download(file!.id, 'ridder@example.org')).status).toBe(200);

    const removed = await postForm(server.url, page, { file: String(file!.id) }, { cookie: cookies['ridder@example.org'] });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain('The file was removed.');
    for (const who of ['ridder@example.org', 'editor@example.org', 'temirtau-admin@example.org'] as const) expect((await download(file!.id, who)).status).toBe(404);
    expect(await filesOf('thread', thread)).toEqual([]);
    // The refusal left no trace; the removal one row, naming who removed which file from what.
    const [entry, ...more] = await auditOf(file!.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor_id: await userId('ridder@example.org'), target_type: 'file' });
    expect(JSON.parse(entry!.details!)).toMatchObject({ name: 'old.pdf', attachedTo: 'thread', attachedId: thread });
  });

  it('a group’s lead removes a member’s file', async () => {
    const thread = await threadWith('utilities-renewal', 'Moderated file', 'ridder@example.org', [{ field: 'attachments', name: 'off-topic.pdf', bytes: pdf() }]);
    const [file] = await filesOf('thread', thread);
    const removed = await postForm(server.url, `/en/groups/utilities-renewal/threads/${thread}/?_action=files.remove`, { file: String(file!.id) }, { cookie: cookies['temirtau-admin@example.org'] });
    expect(removed.status).toBe(200);
    expect((await download(file!.id, 'ridder@example.org')).status).toBe(404);
    expect((await auditOf(file!.id)).map((entry) => entry.actor_id)).toEqual([await userId('temirtau-admin@example.org')]);
  });
});

describe('editing a response', () => {
  it('adds files as a new response does, lists those it has with their remove buttons, and keeps what was typed on an error', async () => {
    const posted = await postMultipart(server.url, '/en/exchange/new/?_action=exchange.saveRequest', requestFields('Snow removal contracts'), [], { cookie: cookies['temirtau@example.org'] });
    expect(posted.status).toBe(303);
    const requestId = (await requestIds('Snow removal contracts'))[0]!;
    const answered = await postMultipart(server.url, `/en/exchange/${requestId}/?_action=exchange.respond`, { request: String(requestId), body: 'Our contract with two local firms works well.', links: '' }, [{ field: 'attachments', name: 'contract.pdf', bytes: pdf() }], { cookie: cookies['ridder@example.org'] });
    expect(answered.status).toBe(303);
    const responseId = (await rows(sql<{ id: number }>`SELECT id FROM help_responses WHERE request_id = ${requestId}`))[0]!.id;
    const editPage = `/en/exchange/responses/${responseId}/`;
    const edit = (fields: Record<string, string>, files: Parameters<typeof postMultipart>[3], who: Email = 'ridder@example.org') =>
      postMultipart(server.url, `${editPage}?_action=exchange.editResponse`, { response: String(responseId), links: '', ...fields }, files, { cookie: cookies[who] });

    const form = await (await request(server.url, editPage, { cookie: cookies['ridder@example.org'] })).text();
    expect(form).toMatch(/<form method="post" action="[^"]*exchange\.editResponse" enctype="multipart\/form-data"/);
    expect(form).toContain('name="attachments"');
    expect(form).toMatch(/download="contract.pdf"[^>]*>contract.pdf<\/a>/);
    expect(form).toContain('files.remove');

    // A refused file: the message on the form, the text kept, nothing stored or changed.
    const refused = await edit({ body: 'Edited with the zone map attached.' }, [{ field: 'attachments', name: 'map.pdf', bytes: exe() }]);
    const refusal = await refused.text();
    expect(refused.status).toBe(400);
    expectCleanClientError(refused.status, refusal);
    expect(refusal).toContain('This type of file is not accepted');
    expect(refusal).toContain('Edited with the zone map attached.');
    expect((await filesOf('response', responseId)).map((file) => file.name)).toEqual(['contract.pdf']);

    // Someone else may not add files to it.
    const stranger = await edit({ body: 'Not my response at all.' }, [{ field: 'attachments', name: 'x.pdf', bytes: pdf() }], 'aksu@example.org');
    expect(stranger.status).toBe(403);

    const saved = await edit({ body: 'Edited with the zone map attached.' }, [{ field: 'attachments', name: 'zones.csv', bytes: Buffer.from('zone;streets\n1;12\n') }]);
    expect(saved.status, await saved.clone().text()).toBe(303);
    const files = await filesOf('response', responseId);
    expect(files.map((file) => [file.name, file.media_type])).toEqual([['contract.pdf', 'application/pdf'], ['zones.csv', 'text/csv']]);
    expect((await rows(sql<{ body: string }>`SELECT body FROM help_responses WHERE id = ${responseId}`))[0]!.body).toBe('Edited with the zone map attached.');

    // The remove button on the edit page removes the file and says so there.
    const removed = await postForm(server.url, `${editPage}?_action=files.remove`, { file: String(files[0]!.id) }, { cookie: cookies['ridder@example.org'] });
    const after = await removed.text();
    expect(removed.status).toBe(200);
    expect(after).toContain('The file was removed.');
    expect(after).not.toContain('download="contract.pdf"');
    expect((await filesOf('response', responseId)).map((file) => file.name)).toEqual(['zones.csv']);
    expect(await auditOf(files[0]!.id)).toHaveLength(1);
  });
});

describe('a town’s photo or emblem', () => {
  const photoPage = '/en/towns/temirtau/edit/';
  it('is set by the town’s administrator, stripped of its metadata and shown on the public profile', async () => {
    expect((await request(server.url, photoPage, { cookie: cookies['temirtau@example.org'] })).status).toBe(403);
    expect((await request(server.url, photoPage)).status).toBe(303);
    const refused = await postMultipart(server.url, `${photoPage}?_action=files.setTownPhoto`, { town: 'temirtau' }, [{ field: 'photo', name: 'emblem.jpg', bytes: await jpegWithLocation() }], { cookie: cookies['ridder@example.org'] });
    expect(refused.status).toBe(403);
    const notImage = await postMultipart(server.url, `${photoPage}?_action=files.setTownPhoto`, { town: 'temirtau' }, [{ field: 'photo', name: 'emblem.jpg', bytes: pdf() }], { cookie: cookies['temirtau-admin@example.org'] });
    expect(notImage.status).toBe(400);
    expect(await notImage.text()).toContain('Choose an image: PNG, JPEG or WebP.');

    const saved = await postMultipart(server.url, `${photoPage}?_action=files.setTownPhoto`, { town: 'temirtau' }, [{ field: 'photo', name: 'emblem.jpg', bytes: await jpegWithLocation() }], { cookie: cookies['temirtau-admin@example.org'] });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('The photo was saved.');
    const profile = await (await request(server.url, '/en/towns/temirtau/')).text();
    const src = profile.match(/<img src="(\/en\/files\/(\d+)\/)" alt="([^"]+)"/);
    expect(src?.[3]).toBe('Temirtau: photo or emblem');
    const image = await request(server.url, src![1]!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="emblem.jpg"/);
    expect(image.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    const metadata = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect(metadata.exif).toBeUndefined();

    // Removing it is on record too.
    const removed = await postForm(server.url, `${photoPage}?_action=files.removeTownPhoto`, { town: 'temirtau' }, { cookie: cookies['temirtau-admin@example.org'] });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain('The photo was removed.');
    const [entry] = await auditOf(Number(src![2]));
    expect(entry?.actor_id).toBe(await userId('temirtau-admin@example.org'));
    expect(JSON.parse(entry!.details!)).toMatchObject({ name: 'emblem.jpg', attachedTo: 'town_photo' });
  });
});

describe('a group’s document library', () => {
  const library = '/en/groups/utilities-renewal/documents/';
  it('members add and download documents; other members are refused; the lead may keep it to leads', async () => {
    const group = String(await groupId('utilities-renewal'));
    expect((await request(server.url, library, { cookie: cookies['aksu@example.org'] })).status).toBe(403);
    const missing = await postMultipart(server.url, `${library}?_action=files.addDocument`, { group, title: 'No file', description: '' }, [{ field: 'file', name: '', bytes: Buffer.alloc(0) }], { cookie: cookies['ridder@example.org'] });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Choose a file.');

    const added = await postMultipart(server.url, `${library}?_action=files.addDocument`, { group, title: 'Heat tariff model', description: 'A spreadsheet we use.' }, [{ field: 'file', name: 'model.pdf', bytes: pdf() }], { cookie: cookies['ridder@example.org'] });
    expect(added.status).toBe(303);
    const page = await (await request(server.url, library, { cookie: cookies['temirtau-admin@example.org'] })).text();
    expect(page).toContain('Heat tariff model');
    const link = page.match(/href="(\/en\/files\/\d+\/)" download="model.pdf"/)?.[1];
    expect((await request(server.url, link!, { cookie: cookies['temirtau-admin@example.org'] })).status).toBe(200);
    expect((await request(server.url, link!, { cookie: cookies['aksu@example.org'] })).status).toBe(403);

    // Removing a document's file through the attachments' button removes the document with it.
    const fileId = link!.match(/\/(\d+)\/$/)![1]!;
    const removed = await postForm(server.url, `${library}?_action=files.remove`, { file: fileId }, { cookie: cookies['ridder@example.org'] });
    expect(removed.status).toBe(200);
    expect(await (await request(server.url, library, { cookie: cookies['ridder@example.org'] })).text()).not.toContain('Heat tariff model');
    expect(JSON.parse((await auditOf(Number(fileId)))[0]!.details!)).toMatchObject({ name: 'model.pdf', attachedTo: 'document' });

    const policy = await postForm(server.url, `${library}?_action=files.setLibraryUploads`, { group, uploads: 'leads' }, { cookie: cookies['temirtau-admin@example.org'] });
    expect(policy.status).toBe(200);
    const refused = await postMultipart(server.url, `${library}?_action=files.addDocument`, { group, title: 'Another one', description: '' }, [{ field: 'file', name: 'b.pdf', bytes: pdf() }], { cookie: cookies['ridder@example.org'] });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('In this group only its leads add documents.');
    await postForm(server.url, `${library}?_action=files.setLibraryUploads`, { group, uploads: 'members' }, { cookie: cookies['temirtau-admin@example.org'] });
  });
});
