import { sql, type RawBuilder } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * Working groups through the built server: who sees and does what (representative
 * cells of the rules table), private groups answering exactly like missing ones, bad
 * input with clear messages and no change, ids checked against each other, and the
 * notifications and calendar files members get. The server has its own demo database.
 */
const server = useServer();

const rows = <T>(query: RawBuilder<T>) => readRows(server.databaseUrl, query);
const groupId = async (slug: string) => (await rows(sql<{ id: number }>`SELECT id FROM groups WHERE slug = ${slug}`))[0]!.id;
const firstThread = async (slug: string) => (await rows(sql<{ id: number; title: string }>`SELECT t.id, t.title FROM group_threads t JOIN groups g ON g.id = t.group_id WHERE g.slug = ${slug} ORDER BY t.id LIMIT 1`))[0]!;
const userId = async (email: string) => (await rows(sql<{ id: string }>`SELECT id FROM users WHERE email = ${email}`))[0]!.id;
const isMember = async (slug: string, email: string) => (await rows(sql`SELECT 1 FROM group_members WHERE group_id = ${await groupId(slug)} AND user_id = ${await userId(email)}`)).length === 1;
const threadCount = async (title: string) => (await rows(sql<{ n: number }>`SELECT count(*) AS n FROM group_threads WHERE title = ${title}`))[0]!.n;
const snapshot = async () => ({
  members: await rows(sql`SELECT * FROM group_members ORDER BY group_id, user_id`),
  requests: await rows(sql`SELECT id, status FROM group_join_requests ORDER BY id`),
  threads: await rows(sql`SELECT id, pinned, locked, hidden_at FROM group_threads ORDER BY id`),
  replies: await rows(sql`SELECT id, hidden_at FROM group_replies ORDER BY id`),
});

const groupPage = (slug: string, rest = '') => `/en/groups/${slug}/${rest}`;
const act = (slug: string, action: string, rest = '') => `${groupPage(slug, rest)}?_action=groups.${action}`;

const cookies: Record<string, string> = {};
const EMAILS = [
  'ridder@example.org',
  'temirtau@example.org',
  'temirtau-admin@example.org',
  'editor@example.org',
  'aksu@example.org',
  'rudny@example.org',
  'ekibastuz@example.org',
  'zhanaozen@example.org',
];
beforeAll(async () => {
  for (const email of EMAILS) cookies[email] = await signIn(server.url, email, DEMO_PASSWORD);
});
const as = (email: string | null) => (email ? cookies[email] : undefined);

describe('who may do what, through HTTP (representative cells of the rules table)', () => {
  type Who = 'public' | 'member' | 'group member' | 'lead' | 'editor';
  type Act = 'see group' | 'read threads' | 'post' | 'moderate';
  const WHO: Who[] = ['public', 'member', 'group member', 'lead', 'editor'];
  const CAST: Record<string, Record<Who, string | null>> = {
    'utilities-renewal': { public: null, member: 'aksu@example.org', 'group member': 'ridder@example.org', lead: 'temirtau-admin@example.org', editor: 'editor@example.org' },
    'economic-diversification': { public: null, member: 'rudny@example.org', 'group member': 'ridder@example.org', lead: 'aksu@example.org', editor: 'editor@example.org' },
    'municipal-finance': { public: null, member: 'temirtau@example.org', 'group member': 'ridder@example.org', lead: 'ekibastuz@example.org', editor: 'editor@example.org' },
  };
  const NAMES: Record<string, string> = {
    'utilities-renewal': 'Utilities renewal',
    'economic-diversification': 'Economic diversification and SMEs',
    'municipal-finance': 'Municipal finance and funding access',
  };

  const ACTS: Record<Act, (slug: string, who: Who) => Promise<boolean>> = {
    async 'see group'(slug, who) {
      const response = await request(server.url, groupPage(slug), { cookie: as(CAST[slug]![who]) });
      const body = await response.text();
      if (response.status === 200 && body.includes(`<h1>${NAMES[slug]}</h1>`)) return true;
      expect(response.status).toBe(404);
      expect(body).not.toContain(NAMES[slug]);
      return false;
    },
    async 'read threads'(slug, who) {
      const thread = await firstThread(slug);
      const response = await request(server.url, groupPage(slug, `threads/${thread.id}/`), { cookie: as(CAST[slug]![who]) });
      const body = await response.text();
      if (response.status === 200 && body.includes(thread.title.replace(/«|»/g, (q) => q))) return true;
      expect([303, 403, 404]).toContain(response.status);
      expect(body).not.toContain(thread.title);
      return false;
    },
    async post(slug, who) {
      const title = `Table post by ${who} in ${slug}`;
      const response = await postForm(server.url, act(slug, 'createThread'), { group: String(await groupId(slug)), title, body: 'A post.' }, { cookie: as(CAST[slug]![who]) });
      if ((await threadCount(title)) === 1) {
        expect(response.status).toBe(303);
        return true;
      }
      expect(who === 'public' ? [303, 401, 404] : [403, 404]).toContain(response.status);
      return false;
    },
    async moderate(slug, who) {
      const thread = await firstThread(slug);
      const pinned = async () => (await rows(sql<{ pinned: number }>`SELECT pinned FROM group_threads WHERE id = ${thread.id}`))[0]!.pinned;
      const before = await pinned();
      const response = await postForm(server.url, act(slug, 'moderateThread', `threads/${thread.id}/`), { group: String(await groupId(slug)), thread: String(thread.id), act: before ? 'unpin' : 'pin' }, { cookie: as(CAST[slug]![who]) });
      if ((await pinned()) !== before) {
        expect(response.status).toBe(200);
        // Put it back for the next one.
        await postForm(server.url, act(slug, 'moderateThread', `threads/${thread.id}/`), { group: String(await groupId(slug)), thread: String(thread.id), act: before ? 'pin' : 'unpin' }, { cookie: as(CAST[slug]![who]) });
        expect(await pinned()).toBe(before);
        return true;
      }
      expect(who === 'public' ? [303, 401, 404] : [403, 404]).toContain(response.status);
      return false;
    },
  };

  const Y = true;
  const N = false;
  const VISIBLE = { public: [Y, N, N, N], member: [Y, N, N, N], 'group member': [Y, Y, Y, N], lead: [Y, Y, Y, Y], editor: [Y, Y, N, Y] };
  const PRIVATE = { public: [N, N, N, N], member: [N, N, N, N], 'group member': [Y, Y, Y, N], lead: [Y, Y, Y, Y], editor: [Y, Y, N, Y] };

  it.each([
    ['utilities-renewal', VISIBLE],
    ['economic-diversification', VISIBLE],
    ['municipal-finance', PRIVATE],
  ] as const)('%s: public, member, group member, lead, editor × see, read threads, post, moderate', async (slug, expected) => {
    const actual: Record<string, boolean[]> = {};
    for (const who of WHO) {
      actual[who] = [];
      for (const name of ['see group', 'read threads', 'post', 'moderate'] as Act[]) actual[who]!.push(await ACTS[name](slug, who));
    }
    expect(actual).toEqual(expected);
  }, 60_000);

  it('approving joins in a by-approval group: only its lead and editors; the request stays pending otherwise', async () => {
    const slug = 'economic-diversification';
    const id = await groupId(slug);
    const pending = (await rows(sql<{ id: number }>`SELECT id FROM group_join_requests WHERE group_id = ${id} AND status = 'pending' AND user_id = ${await userId('zhanaozen@example.org')}`))[0]!.id;
    for (const who of [null, 'rudny@example.org', 'ridder@example.org']) {
      const response = await postForm(server.url, act(slug, 'decideRequest', 'members/'), { group: String(id), request: String(pending), decision: 'approved' }, { cookie: as(who) });
      expect(who === null ? [303, 401] : [403]).toContain(response.status);
      expect((await rows(sql<{ status: string }>`SELECT status FROM group_join_requests WHERE id = ${pending}`))[0]!.status).toBe('pending');
    }
    const byLead = await postForm(server.url, act(slug, 'decideRequest', 'members/'), { group: String(id), request: String(pending), decision: 'approved' }, { cookie: as('aksu@example.org') });
    expect(byLead.status).toBe(200);
    expect(await isMember(slug, 'zhanaozen@example.org')).toBe(true);

    const asked = await postForm(server.url, act(slug, 'requestToJoin'), { group: String(id), note: 'Temirtau would like to join.' }, { cookie: as('temirtau@example.org') });
    expect(asked.status).toBe(200);
    const second = (await rows(sql<{ id: number }>`SELECT id FROM group_join_requests WHERE group_id = ${id} AND status = 'pending' AND user_id = ${await userId('temirtau@example.org')}`))[0]!.id;
    const byEditor = await postForm(server.url, act(slug, 'decideRequest', 'members/'), { group: String(id), request: String(second), decision: 'declined' }, { cookie: as('editor@example.org') });
    expect(byEditor.status).toBe(200);
    expect(await isMember(slug, 'temirtau@example.org')).toBe(false);
    expect((await rows(sql<{ kind: string }>`SELECT kind FROM notifications WHERE user_id = ${await userId('temirtau@example.org')} ORDER BY id DESC LIMIT 1`))[0]!.kind).toBe('groups.request_declined');
  });
});

describe('a private group', () => {
  const PRIVATE_NAMES = ['Municipal finance and funding access', 'Муниципальные финансы и доступ к финансированию', 'Муниципалдық қаржы және қаржыландыруға қол жеткізу'];

  it('answers a non-member exactly like a group that does not exist, on every page under it', async () => {
    const thread = await firstThread('municipal-finance');
    const id = (await rows(sql<{ id: number }>`SELECT m.id FROM group_meetings m LIMIT 1`))[0]!.id;
    for (const who of [null, 'temirtau@example.org']) {
      for (const rest of ['', 'members/', 'lead/', `threads/${thread.id}/`, `meetings/${id}.ics`]) {
        const secret = await request(server.url, groupPage('municipal-finance', rest), { cookie: as(who) });
        const missing = await request(server.url, groupPage('no-such-group', rest), { cookie: as(who) });
        expect(secret.status, `${who} ${rest}`).toBe(404);
        expect(missing.status).toBe(404);
        const [a, b] = [await secret.text(), await missing.text()];
        expect(a.replaceAll('municipal-finance', 'SLUG')).toBe(b.replaceAll('no-such-group', 'SLUG'));
        for (const name of PRIVATE_NAMES) expect(a).not.toContain(name);
      }
    }
  });

  it('is absent from the lists, counts and pages of everyone outside it, in every language', async () => {
    for (const who of [null, 'temirtau@example.org', 'aksu@example.org']) {
      for (const lang of ['kk', 'ru', 'en']) {
        for (const path of [`/${lang}/groups/`, `/${lang}/`, `/${lang}/account/notifications/`]) {
          const response = await request(server.url, path, { cookie: as(who) });
          const body = await response.text();
          for (const name of PRIVATE_NAMES) expect(body, `${who} ${path}`).not.toContain(name);
          expect(body).not.toContain('municipal-finance');
        }
      }
      const list = await (await request(server.url, '/en/groups/', { cookie: as(who) })).text();
      expect(list).toContain('Groups: 4');
    }
  });

  it('shows to its members in “my groups”, and to editors', async () => {
    const mine = await (await request(server.url, '/ru/groups/', { cookie: as('ridder@example.org') })).text();
    expect(mine).toContain('Муниципальные финансы и доступ к финансированию');
    const editors = await (await request(server.url, '/en/editor/groups/', { cookie: as('editor@example.org') })).text();
    expect(editors).toContain('Municipal finance and funding access');
  });

  it('a post with its id from a non-member: 404 “does not exist”, nothing stored', async () => {
    const before = await snapshot();
    const response = await postForm(server.url, act('utilities-renewal', 'createThread'), { group: String(await groupId('municipal-finance')), title: 'Sneaking in', body: 'Hello' }, { cookie: as('temirtau@example.org') });
    expect(response.status).toBe(404);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain('This group does not exist.');
    expect(await snapshot()).toEqual(before);
  });
});

describe('bad input and wrong moves: a clear message and no change', () => {
  it('joining twice: 409 “already a member”', async () => {
    const before = await snapshot();
    const response = await postForm(server.url, act('utilities-renewal', 'join'), { group: String(await groupId('utilities-renewal')) }, { cookie: as('ridder@example.org') });
    expect(response.status).toBe(409);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain('You are already a member of this group. Nothing was changed.');
    expect(await snapshot()).toEqual(before);
  });

  it('approving a request that was withdrawn: 409, and the person is not added', async () => {
    const slug = 'economic-diversification';
    const id = String(await groupId(slug));
    expect((await postForm(server.url, act(slug, 'requestToJoin'), { group: id }, { cookie: as('rudny@example.org') })).status).toBe(200);
    const requestId = (await rows(sql<{ id: number }>`SELECT id FROM group_join_requests WHERE user_id = ${await userId('rudny@example.org')} AND status = 'pending'`))[0]!.id;
    const again = await postForm(server.url, act(slug, 'requestToJoin'), { group: id, note: 'Again' }, { cookie: as('rudny@example.org') });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Your request to join is already waiting for a decision.');
    expect((await postForm(server.url, act(slug, 'withdrawRequest'), { group: id }, { cookie: as('rudny@example.org') })).status).toBe(200);
    const before = await snapshot();
    const approve = await postForm(server.url, act(slug, 'decideRequest', 'members/'), { group: id, request: String(requestId), decision: 'approved' }, { cookie: as('aksu@example.org') });
    expect(approve.status).toBe(409);
    expect(await approve.text()).toContain('This request was already decided or withdrawn. Nothing was changed.');
    expect(await isMember(slug, 'rudny@example.org')).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('a request id of another group: 404, nothing changes', async () => {
    const id = (await rows(sql<{ id: number }>`SELECT id FROM group_join_requests ORDER BY id LIMIT 1`))[0]!.id;
    const before = await snapshot();
    const response = await postForm(server.url, act('utilities-renewal', 'decideRequest', 'members/'), { group: String(await groupId('utilities-renewal')), request: String(id), decision: 'approved' }, { cookie: as('temirtau-admin@example.org') });
    expect(response.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('posting to a locked thread: 409, and the typed reply is kept in the form', async () => {
    const slug = 'youth-skills';
    const id = String(await groupId(slug));
    const thread = await firstThread(slug);
    const path = `threads/${thread.id}/`;
    expect((await postForm(server.url, act(slug, 'moderateThread', path), { group: id, thread: String(thread.id), act: 'lock' }, { cookie: as('rudny@example.org') })).status).toBe(200);
    const before = await snapshot();
    const text = 'Late reply: our college data is ready.';
    const response = await postForm(server.url, act(slug, 'reply', path), { group: id, thread: String(thread.id), body: text }, { cookie: as('ridder@example.org') });
    expect(response.status).toBe(409);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain('This thread is closed: no new replies.');
    expect(await snapshot()).toEqual(before);
    expect((await postForm(server.url, act(slug, 'moderateThread', path), { group: id, thread: String(thread.id), act: 'unlock' }, { cookie: as('rudny@example.org') })).status).toBe(200);
  });

  it('a non-lead moderating: 403 “only leads and editors”, nothing hidden', async () => {
    const slug = 'utilities-renewal';
    const thread = await firstThread(slug);
    const before = await snapshot();
    const response = await postForm(server.url, act(slug, 'moderateThread', `threads/${thread.id}/`), { group: String(await groupId(slug)), thread: String(thread.id), act: 'hide', reason: 'I do not like it' }, { cookie: as('ridder@example.org') });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Only the group’s leads and editors can do this. Nothing was changed.');
    expect(await snapshot()).toEqual(before);
  });

  it('an empty or too long message: 400 with a message, and the text kept', async () => {
    const slug = 'utilities-renewal';
    const id = String(await groupId(slug));
    const before = await snapshot();
    const empty = await postForm(server.url, act(slug, 'createThread'), { group: id, title: 'Kept title', body: '   ' }, { cookie: as('ridder@example.org') });
    expect(empty.status).toBe(400);
    const emptyBody = await empty.text();
    expectCleanClientError(empty.status, emptyBody);
    expect(emptyBody).toContain('Fill in this field.');
    expect(emptyBody).toContain('value="Kept title"');
    const huge = `Long text ${'ж'.repeat(20_000)}`;
    const long = await postForm(server.url, act(slug, 'createThread'), { group: id, title: 'Long one', body: huge }, { cookie: as('ridder@example.org') });
    expect(long.status).toBe(400);
    const longBody = await long.text();
    expect(longBody).toContain('This is too long: write at most 20 000 characters. Your text is kept below.');
    expect(longBody).toContain(`>${huge}</textarea>`);
    const thread = await firstThread(slug);
    const reply = await postForm(server.url, act(slug, 'reply', `threads/${thread.id}/`), { group: id, thread: String(thread.id), body: huge }, { cookie: as('ridder@example.org') });
    expect(reply.status).toBe(400);
    expect(await reply.text()).toContain(`>${huge}</textarea>`);
    expect(await snapshot()).toEqual(before);
  });

  it('hostile markdown is stored as written and shown harmless', async () => {
    const slug = 'utilities-renewal';
    const hostile = '<script>alert("x")</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)> <iframe src="https://evil.example"></iframe>\n\n**bold** and [a link](https://example.org)';
    const response = await postForm(server.url, act(slug, 'createThread'), { group: String(await groupId(slug)), title: 'Hostile <b>title</b>', body: hostile }, { cookie: as('ridder@example.org') });
    expect(response.status).toBe(303);
    const stored = (await rows(sql<{ id: number; body: string }>`SELECT id, body FROM group_threads WHERE title = 'Hostile <b>title</b>'`))[0]!;
    expect(stored.body).toBe(hostile);
    const page = await (await request(server.url, response.headers.get('location')!, { cookie: as('temirtau@example.org') })).text();
    const main = page.slice(page.indexOf('<main'), page.indexOf('</main>'));
    expect(main).not.toMatch(/<script|onerror|javascript:|<iframe|<img/i);
    expect(main).toContain('<strong>bold</strong>');
    expect(main).toContain('Hostile &lt;b&gt;title&lt;/b&gt;');
    expect(main).toMatch(/<a href="https:\/\/example.org" rel="nofollow ugc noopener"/);
  });

  it('a reply id from another thread, or a thread from another group: 404 and nothing changes', async () => {
    const utilities = await firstThread('utilities-renewal');
    const youth = await firstThread('youth-skills');
    const youthReply = (await rows(sql<{ id: number }>`SELECT id FROM group_replies WHERE thread_id = ${youth.id} LIMIT 1`))[0]!.id;
    const before = await snapshot();
    const crossReply = await postForm(server.url, act('utilities-renewal', 'moderateReply', `threads/${utilities.id}/`), { group: String(await groupId('utilities-renewal')), thread: String(utilities.id), reply: String(youthReply), act: 'hide', reason: 'Cross' }, { cookie: as('temirtau-admin@example.org') });
    expect(crossReply.status).toBe(404);
    expect(await crossReply.text()).toContain('This reply does not exist in this thread.');
    const crossThread = await postForm(server.url, act('utilities-renewal', 'reply', `threads/${youth.id}/`), { group: String(await groupId('utilities-renewal')), thread: String(youth.id), body: 'Wrong group' }, { cookie: as('ridder@example.org') });
    expect(crossThread.status).toBe(404);
    expect((await request(server.url, groupPage('utilities-renewal', `threads/${youth.id}/`), { cookie: as('ridder@example.org') })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('malformed ids: 400, never a 500', async () => {
    for (const fields of [{ group: 'abc' }, { group: '-1' }, { group: "1' OR '1'='1" }, { group: '99999999999999' }]) {
      const response = await postForm(server.url, act('utilities-renewal', 'join'), fields, { cookie: as('aksu@example.org') });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expectCleanClientError(response.status, await response.text());
    }
    for (const path of ['threads/abc/', 'threads/0/', 'threads/99999999999/', '?page=abc']) {
      const response = await request(server.url, groupPage('utilities-renewal', path), { cookie: as('ridder@example.org') });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
  });
});

describe('the public list of groups', () => {
  it('comes in pages; a page number that is not one answers 400 and one past the end 404, each with a message and the pages there are', async () => {
    const first = await request(server.url, '/ru/groups/');
    expect(first.status).toBe(200);
    for (const [query, status, message] of [['?page=abc', 400, 'Номер страницы'], ['?page=0', 400, 'Номер страницы'], ['?page=999', 404, 'Такой страницы нет']] as const) {
      const response = await request(server.url, `/ru/groups/${query}`);
      expect(response.status, query).toBe(status);
      const html = await response.text();
      expectCleanClientError(response.status, html);
      expect(html, query).toContain(message);
    }
  });
});

describe('an archived group', () => {
  it('is read-only: no posts, joins or meetings, with a clear message', async () => {
    const created = await postForm(server.url, '/en/editor/groups/?_action=groups.create', {
      slug: 'to-be-archived',
      nameKk: 'Мұрағат тобы',
      nameRu: 'Архивная группа',
      nameEn: 'Archive test group',
      purposeKk: 'Сынақ',
      purposeRu: 'Проверка',
      purposeEn: 'A test',
      type: 'forum',
      visibility: 'open',
      rhythm: 'monthly',
      descriptionPublic: 'on',
    }, { cookie: as('editor@example.org') });
    expect(created.status).toBe(303);
    const id = String(await groupId('to-be-archived'));
    expect((await postForm(server.url, act('to-be-archived', 'join'), { group: id }, { cookie: as('ridder@example.org') })).status).toBe(200);
    const archived = await postForm(server.url, `/en/editor/groups/${id}/?_action=groups.archive`, { group: id, archived: 'yes' }, { cookie: as('editor@example.org') });
    expect(archived.status).toBe(200);
    const before = await snapshot();
    const post = await postForm(server.url, act('to-be-archived', 'createThread'), { group: id, title: 'After archiving', body: 'Hello' }, { cookie: as('ridder@example.org') });
    expect(post.status).toBe(409);
    const postBody = await post.text();
    expect(postBody).toContain('This group is archived: nothing can be added or changed. Nothing was changed.');
    const join = await postForm(server.url, act('to-be-archived', 'join'), { group: id }, { cookie: as('aksu@example.org') });
    expect(join.status).toBe(409);
    expect(await snapshot()).toEqual(before);
    const page = await (await request(server.url, groupPage('to-be-archived'), { cookie: as('ridder@example.org') })).text();
    expect(page).toContain('This group is archived.');
    expect(page).not.toContain('name="title"');
    expect((await (await request(server.url, '/en/groups/')).text())).not.toContain('Archive test group');
  });
});

describe('leaving', () => {
  it('ends access to a private group at once', async () => {
    const thread = await firstThread('municipal-finance');
    expect((await request(server.url, groupPage('municipal-finance', `threads/${thread.id}/`), { cookie: as('temirtau-admin@example.org') })).status).toBe(200);
    const left = await postForm(server.url, act('municipal-finance', 'leave'), { group: String(await groupId('municipal-finance')) }, { cookie: as('temirtau-admin@example.org') });
    expect(left.status).toBe(303);
    expect(left.headers.get('location')).toBe('/en/groups/?left=1');
    expect((await request(server.url, groupPage('municipal-finance', `threads/${thread.id}/`), { cookie: as('temirtau-admin@example.org') })).status).toBe(404);
    expect((await request(server.url, groupPage('municipal-finance'), { cookie: as('temirtau-admin@example.org') })).status).toBe(404);
  });

  it('the only lead cannot leave: 409, still the lead', async () => {
    const response = await postForm(server.url, act('youth-skills', 'leave'), { group: String(await groupId('youth-skills')) }, { cookie: as('rudny@example.org') });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('The group needs at least one lead.');
    expect(await isMember('youth-skills', 'rudny@example.org')).toBe(true);
  });
});

describe('notifications and calendar files', () => {
  it('a reply notifies the thread’s followers; a mention notifies the member named', async () => {
    const slug = 'utilities-renewal';
    const thread = await firstThread(slug);
    const count = async (email: string, kind: string) => (await rows(sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE user_id = ${await userId(email)} AND kind = ${kind}`))[0]!.n;
    const before = { author: await count('temirtau-admin@example.org', 'groups.reply_posted'), rudny: await count('rudny@example.org', 'groups.mentioned'), outsider: await count('aksu@example.org', 'groups.mentioned') };
    const response = await postForm(server.url, act(slug, 'reply', `threads/${thread.id}/`), { group: String(await groupId(slug)), thread: String(thread.id), body: 'Agreed. @Dana Kuanysheva, could Rudny share its log template? @Askar Zhumabayev is not in this group.' }, { cookie: as('ridder@example.org') });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^/en/groups/${slug}/threads/${thread.id}/#reply-\\d+$`));
    expect(await count('temirtau-admin@example.org', 'groups.reply_posted')).toBe(before.author + 1);
    expect(await count('rudny@example.org', 'groups.mentioned')).toBe(before.rudny + 1);
    expect(await count('aksu@example.org', 'groups.mentioned')).toBe(before.outsider);
    const page = await (await request(server.url, '/ru/account/notifications/', { cookie: as('temirtau-admin@example.org') })).text();
    expect(page).toContain('Irina Sokolova ответил(а) в теме «Как вы выбираете, какие участки теплосети менять первыми?» (Обновление коммунальных сетей)');
  });

  it('every group kind is on the email preferences, named without placeholders', async () => {
    const page = await (await request(server.url, '/en/account/notifications/', { cookie: as('ridder@example.org') })).text();
    for (const kind of ['thread_created', 'reply_posted', 'mentioned', 'meeting_announced', 'join_requested', 'request_approved', 'request_declined', 'added']) {
      expect(page).toContain(`name="groups.${kind}"`);
    }
    expect(page).toContain('A reply in a thread I follow');
    const preferences = page.slice(page.indexOf('id="email-title"'));
    expect(preferences).not.toMatch(/\{(group|author|title|name|when)\}/);
  });

  it('announcing a meeting notifies members; its .ics is for members only', async () => {
    const slug = 'environment-health';
    const id = String(await groupId(slug));
    const before = (await rows(sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE kind = 'groups.meeting_announced'`))[0]!.n;
    const year = new Date().getUTCFullYear() + 1;
    const bad = await postForm(server.url, act(slug, 'announceMeeting', 'lead/'), { group: id, title: 'Sensor review', date: `${year}-03-15`, time: '15:00', duration: '90', place: '', link: 'javascript:alert(1)', agenda: '' }, { cookie: as('temirtau@example.org') });
    expect(bad.status).toBe(400);
    const badBody = await bad.text();
    expect(badBody).toContain('Enter an address that starts with http:// or https://.');
    expect(badBody).toContain('value="Sensor review"');
    for (const [fields, message] of [
      [{ date: `${year}-02-30` }, 'Enter a real date as YYYY-MM-DD'],
      [{ date: '2001-03-15' }, 'This date and time have passed.'],
      [{ place: '', link: '' }, 'Give a place or a link to join online.'],
      [{ duration: '5' }, 'Enter the length in whole minutes, from 15 to 600.'],
    ] as const) {
      const valid: Record<string, string> = { group: id, title: 'Sensor review', date: `${year}-03-15`, time: '15:00', duration: '90', place: 'Hall', link: '', agenda: 'Agenda' };
      const response = await postForm(server.url, act(slug, 'announceMeeting', 'lead/'), { ...valid, ...fields }, { cookie: as('temirtau@example.org') });
      expect(response.status, message).toBe(400);
      expect(await response.text()).toContain(message);
    }
    const ok = await postForm(server.url, act(slug, 'announceMeeting', 'lead/'), { group: id, title: 'Sensor review; winter data', date: `${year}-03-15`, time: '15:00', duration: '90', place: 'Ekibastuz, akimat', link: '', agenda: '1. Humidity, fog, and readings' }, { cookie: as('temirtau@example.org') });
    expect(ok.status).toBe(200);
    expect((await rows(sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE kind = 'groups.meeting_announced'`))[0]!.n).toBe(before + 2);
    const meeting = (await rows(sql<{ id: number }>`SELECT id FROM group_meetings WHERE title = 'Sensor review; winter data'`))[0]!.id;
    const ics = await request(server.url, groupPage(slug, `meetings/${meeting}.ics`), { cookie: as('ekibastuz@example.org') });
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await ics.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('SUMMARY:Sensor review\\; winter data — Environment and health');
    expect(text).toMatch(/DTSTART:\d{8}T\d{6}Z\r\n/);
    expect((await request(server.url, groupPage(slug, `meetings/${meeting}.ics`), { cookie: as('rudny@example.org') })).status).toBe(403);
    expect((await request(server.url, groupPage(slug, `meetings/${meeting}.ics`))).status).toBe(303);
    expect((await request(server.url, groupPage('utilities-renewal', `meetings/${meeting}.ics`), { cookie: as('ridder@example.org') })).status).toBe(404);
  });

  it('pinning: a knowledge-centre item that exists, http(s) links only', async () => {
    const slug = 'youth-skills';
    const id = String(await groupId(slug));
    const unknown = await postForm(server.url, act(slug, 'pinItem', 'lead/'), { group: id, reference: '/en/resources/no-such-guide/' }, { cookie: as('rudny@example.org') });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No knowledge-centre item has this address.');
    const item = await postForm(server.url, act(slug, 'pinItem', 'lead/'), { group: id, reference: `${server.url}/ru/resources/planning-without-experts/` }, { cookie: as('rudny@example.org') });
    expect(item.status).toBe(200);
    const badLink = await postForm(server.url, act(slug, 'pinLink', 'lead/'), { group: id, linkTitle: 'Bad', url: 'javascript:alert(1)' }, { cookie: as('rudny@example.org') });
    expect(badLink.status).toBe(400);
    const byMember = await postForm(server.url, act(slug, 'pinLink', 'lead/'), { group: id, linkTitle: 'Stat', url: 'https://stat.gov.kz/' }, { cookie: as('ridder@example.org') });
    expect(byMember.status).toBe(403);
    const page = await (await request(server.url, groupPage(slug), { cookie: as('ridder@example.org') })).text();
    expect(page).toContain('Planning without in-house experts and with a small budget');
    expect(page).not.toContain('>Stat<');
  });
});

describe('moderation', () => {
  it('a hidden reply: its author sees it and why; other members see that it was hidden; a reason is required', async () => {
    const slug = 'utilities-renewal';
    const id = String(await groupId(slug));
    const thread = await firstThread(slug);
    const path = `threads/${thread.id}/`;
    const text = 'Our contractor in Ridder charged half the price, ask me privately.';
    expect((await postForm(server.url, act(slug, 'reply', path), { group: id, thread: String(thread.id), body: text }, { cookie: as('ridder@example.org') })).status).toBe(303);
    const reply = (await rows(sql<{ id: number }>`SELECT id FROM group_replies WHERE body = ${text}`))[0]!.id;
    const before = await snapshot();
    const noReason = await postForm(server.url, act(slug, 'moderateReply', path), { group: id, thread: String(thread.id), reply: String(reply), act: 'hide', reason: '  ' }, { cookie: as('temirtau-admin@example.org') });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Give a reason for hiding: the author will see it.');
    expect(await snapshot()).toEqual(before);
    const hidden = await postForm(server.url, act(slug, 'moderateReply', path), { group: id, thread: String(thread.id), reply: String(reply), act: 'hide', reason: 'Prices are discussed in the committee only' }, { cookie: as('temirtau-admin@example.org') });
    expect(hidden.status).toBe(200);
    const again = await postForm(server.url, act(slug, 'moderateReply', path), { group: id, thread: String(thread.id), reply: String(reply), act: 'hide', reason: 'Twice' }, { cookie: as('temirtau-admin@example.org') });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('It is already so. Nothing was changed.');
    const lastPage = (cookie: string | undefined) => request(server.url, groupPage(slug, `${path}?page=1`), { cookie }).then((response) => response.text());
    const author = await lastPage(as('ridder@example.org'));
    expect(author).toContain('Hidden by a moderator. Reason: Prices are discussed in the committee only');
    expect(author).toContain(text);
    const other = await lastPage(as('temirtau@example.org'));
    expect(other).toContain('This message was hidden by a moderator.');
    expect(other).not.toContain(text);
    expect(other).not.toContain('Prices are discussed in the committee only');
    expect((await rows(sql<{ action: string }>`SELECT action FROM audit_log WHERE action = 'group.post_hidden'`)).length).toBeGreaterThan(0);
  });
});

describe('editors run groups', () => {
  const CREATE = '/en/editor/groups/?_action=groups.create';
  const VALID = {
    slug: 'housing-associations',
    nameKk: 'Пәтер иелерінің бірлестіктері',
    nameRu: 'Объединения собственников квартир',
    nameEn: 'Flat owners’ associations',
    purposeKk: 'Тәжірибе алмасу',
    purposeRu: 'Обмен опытом',
    purposeEn: 'Sharing practice',
    type: 'community',
    visibility: 'approval',
    rhythm: 'quarterly',
    topics: 'utilities-housing',
  };
  const groupCount = async () => (await rows(sql<{ n: number }>`SELECT count(*) AS n FROM groups`))[0]!.n;

  it('only editors and administrators open the editors’ pages and create groups', async () => {
    for (const who of ['ridder@example.org', 'temirtau-admin@example.org']) {
      expect((await request(server.url, '/en/editor/groups/', { cookie: as(who) })).status).toBe(403);
      const before = await groupCount();
      expect((await postForm(server.url, CREATE, { ...VALID, slug: `by-${who.split('@')[0]}` }, { cookie: as(who) })).status).toBe(403);
      expect(await groupCount()).toBe(before);
    }
    expect((await request(server.url, '/en/editor/groups/')).status).toBe(303);
  });

  it('a bad or taken address, or a missing name: 4xx with the message and the typed values kept', async () => {
    const before = await groupCount();
    const badSlug = await postForm(server.url, CREATE, { ...VALID, slug: 'Housing Associations!' }, { cookie: as('editor@example.org') });
    expect(badSlug.status).toBe(400);
    const badBody = await badSlug.text();
    expect(badBody).toContain('Use lower-case Latin letters, digits and single hyphens.');
    expect(badBody).toContain('value="Объединения собственников квартир"');
    expect(badBody).toMatch(/value="utilities-housing" checked/);
    const noName = await postForm(server.url, CREATE, { ...VALID, nameKk: '' }, { cookie: as('editor@example.org') });
    expect(noName.status).toBe(400);
    const taken = await postForm(server.url, CREATE, { ...VALID, slug: 'utilities-renewal' }, { cookie: as('editor@example.org') });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('Another group already uses this address.');
    expect(await groupCount()).toBe(before);
  });

  it('creates a group, appoints a lead by email, and refuses an email without an account', async () => {
    const created = await postForm(server.url, CREATE, VALID, { cookie: as('editor@example.org') });
    expect(created.status).toBe(303);
    const id = await groupId('housing-associations');
    expect(created.headers.get('location')).toBe(`/en/editor/groups/${id}/?created=1`);
    const appoint = (email: string) => postForm(server.url, `/en/editor/groups/${id}/?_action=groups.appointLead`, { group: String(id), email }, { cookie: as('editor@example.org') });
    const nobody = await appoint('nobody@example.org');
    expect(nobody.status).toBe(409);
    expect(await nobody.text()).toContain('No account has this email address.');
    expect((await appoint('Rudny@Example.org')).status).toBe(200);
    expect((await rows(sql<{ role: string }>`SELECT role FROM group_members WHERE group_id = ${id} AND user_id = ${await userId('rudny@example.org')}`))[0]!.role).toBe('lead');
    const twice = await appoint('rudny@example.org');
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('This person already leads the group.');
    const page = await (await request(server.url, '/ru/groups/housing-associations/', { cookie: as('rudny@example.org') })).text();
    expect(page).toContain('<h1>Объединения собственников квартир</h1>');
  });
});

describe('the public page of a group', () => {
  it('shows the purpose, member towns and meeting rhythm to anyone, and no discussion', async () => {
    const response = await request(server.url, '/ru/groups/utilities-renewal/');
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('<h1>Обновление коммунальных сетей</h1>');
    expect(body).toContain('Поэтапное обновление изношенных после приватизации сетей');
    expect(body).toMatch(/Города-участники<\/dt><dd>[^<]*Риддер[^<]*Темиртау/);
    expect(body).toContain('Каждый месяц');
    expect(body).not.toContain((await firstThread('utilities-renewal')).title);
    expect(body).not.toContain('Итоги отопительного сезона');
    expect(body).not.toContain('name="body"');
    expect(body).not.toMatch(/<script/);
  });

  it('keeps the purpose to members when the group says so', async () => {
    // The private group's purpose is members-only; its members see it.
    const member = await (await request(server.url, '/en/groups/municipal-finance/', { cookie: as('ekibastuz@example.org') })).text();
    expect(member).toContain('Planning without budget or experts');
  });
});

describe('leads manage members', () => {
  it('invite an existing account (notified), not twice; removing a member ends their access at once', async () => {
    const slug = 'youth-skills';
    const id = String(await groupId(slug));
    const invite = (email: string) => postForm(server.url, act(slug, 'invite', 'members/'), { group: id, email }, { cookie: as('rudny@example.org') });
    const unknown = await invite('nobody@example.org');
    expect(unknown.status).toBe(409);
    const unknownBody = await unknown.text();
    expect(unknownBody).toContain('No account has this email address.');
    expect(unknownBody).toContain('value="nobody@example.org"');
    expect((await invite('Ekibastuz@example.org')).status).toBe(200);
    expect(await isMember(slug, 'ekibastuz@example.org')).toBe(true);
    expect((await rows(sql<{ kind: string; params: string }>`SELECT kind, params FROM notifications WHERE user_id = ${await userId('ekibastuz@example.org')} ORDER BY id DESC LIMIT 1`))[0]).toMatchObject({ kind: 'groups.added' });
    expect((await invite('ekibastuz@example.org')).status).toBe(409);

    const thread = await firstThread(slug);
    expect((await request(server.url, groupPage(slug, `threads/${thread.id}/`), { cookie: as('ekibastuz@example.org') })).status).toBe(200);
    const byMember = await postForm(server.url, act(slug, 'removeMember', 'members/'), { group: id, user: await userId('ekibastuz@example.org') }, { cookie: as('zhanaozen@example.org') });
    expect(byMember.status).toBe(403);
    expect(await isMember(slug, 'ekibastuz@example.org')).toBe(true);
    const removed = await postForm(server.url, act(slug, 'removeMember', 'members/'), { group: id, user: await userId('ekibastuz@example.org') }, { cookie: as('rudny@example.org') });
    expect(removed.status).toBe(200);
    expect(await isMember(slug, 'ekibastuz@example.org')).toBe(false);
    expect((await request(server.url, groupPage(slug, `threads/${thread.id}/`), { cookie: as('ekibastuz@example.org') })).status).toBe(403);
    const members = await (await request(server.url, groupPage(slug, 'members/'), { cookie: as('ekibastuz@example.org') })).text();
    expect(members).not.toContain('Aizhan Tasbolatova');
  });

  it('a group whose purpose is for members only does not show it to the public', async () => {
    const created = await postForm(server.url, '/en/editor/groups/?_action=groups.create', {
      slug: 'quiet-purpose', nameKk: 'Тыныш топ', nameRu: 'Тихая группа', nameEn: 'Quiet group',
      purposeKk: 'Ішкі мақсат', purposeRu: 'Внутренняя цель', purposeEn: 'An internal purpose', type: 'forum', visibility: 'open', rhythm: 'monthly',
    }, { cookie: as('editor@example.org') });
    expect(created.status).toBe(303);
    for (const path of ['/en/groups/quiet-purpose/', '/en/groups/']) {
      const body = await (await request(server.url, path)).text();
      expect(body, path).toContain('Quiet group');
      expect(body, path).not.toContain('An internal purpose');
    }
    expect(await (await request(server.url, '/en/groups/quiet-purpose/')).text()).toContain('The group describes its work to its members only.');
  });
});
