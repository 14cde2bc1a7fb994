import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * The partner boundary over HTTP, as a table of role × page/action: partners meet the
 * towns in the dialogue space and never see the members' peer spaces (the exchange,
 * working groups' insides, case drafts, the people directory). A visitor is sent to sign
 * in (303); a signed-in account a rule refuses gets 403; an action refused answers 4xx.
 */
const server = useServer();

type Who = 'visitor' | 'member' | 'townAdmin' | 'editor' | 'partner';
const EMAILS: Record<Exclude<Who, 'visitor'>, string> = {
  member: 'temirtau@example.org',
  townAdmin: 'temirtau-admin@example.org',
  editor: 'editor@example.org',
  partner: 'partner-steel@example.org',
};
const cookies: Partial<Record<Who, string>> = {};
let membersTopic = 0;
let publicTopic = 0;
let groupId = 0;
let threadId = 0;

beforeAll(async () => {
  for (const [who, email] of Object.entries(EMAILS)) cookies[who as Who] = await signIn(server.url, email, DEMO_PASSWORD);
  const topics = await readRows(server.databaseUrl, sql<{ id: number; public: number }>`SELECT id, public FROM dialogue_topics ORDER BY id`);
  membersTopic = topics.find((topic) => Number(topic.public) === 0)!.id;
  publicTopic = topics.find((topic) => Number(topic.public) === 1)!.id;
  groupId = (await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM groups WHERE slug = 'utilities-renewal'`))[0]!.id;
  threadId = (await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM group_threads WHERE group_id = ${groupId} ORDER BY id`))[0]!.id;
}, 60_000);

/** Pages: the status each role gets. */
const PAGES: Array<[string, () => string, Record<Who, number>]> = [
  ['the exchange', () => '/en/exchange/', { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 403 }],
  ['asking the exchange for help', () => '/en/exchange/new/', { visitor: 303, member: 200, townAdmin: 200, editor: 403, partner: 403 }],
  ['the people directory', () => '/en/members/', { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 403 }],
  ['topics watched in the exchange', () => '/en/exchange/watch/', { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 403 }],
  // Temirtau's demo members belong to this group; a partner never does, nor may it read a group's inside.
  ["a working group's members", () => '/en/groups/utilities-renewal/members/', { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 403 }],
  ["a working group's thread", () => `/en/groups/utilities-renewal/threads/${threadId}/`, { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 403 }],
  ["a town's case drafts", () => '/en/account/cases/', { visitor: 303, member: 200, townAdmin: 200, editor: 403, partner: 403 }],
  ['the dialogue space', () => '/en/dialogue/', { visitor: 200, member: 200, townAdmin: 200, editor: 200, partner: 200 }],
  ['opening a topic', () => '/en/dialogue/new/', { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 200 }],
  ['a public topic', () => `/en/dialogue/${publicTopic}/`, { visitor: 200, member: 200, townAdmin: 200, editor: 200, partner: 200 }],
  ['a members-only topic', () => `/en/dialogue/${membersTopic}/`, { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 200 }],
  ['a topic that does not exist', () => '/en/dialogue/999999/', { visitor: 404, member: 404, townAdmin: 404, editor: 404, partner: 404 }],
  ['applying to be a partner', () => '/en/partners/apply/', { visitor: 200, member: 200, townAdmin: 200, editor: 200, partner: 200 }],
  ['the partner applications', () => '/en/editor/partners/', { visitor: 303, member: 403, townAdmin: 403, editor: 200, partner: 403 }],
  ["one's organisation's accounts", () => '/en/account/colleagues/', { visitor: 303, member: 403, townAdmin: 200, editor: 403, partner: 200 }],
  ['the member home', () => '/en/account/', { visitor: 303, member: 200, townAdmin: 200, editor: 200, partner: 200 }],
];

describe('the partner boundary: role × page', () => {
  for (const [label, path, expected] of PAGES) {
    it(`${label}: ${Object.entries(expected).map(([who, status]) => `${who} ${status}`).join(', ')}`, async () => {
      const actual: Record<string, number> = {};
      for (const who of Object.keys(expected) as Who[]) actual[who] = (await request(server.url, path(), { cookie: cookies[who] })).status;
      expect(actual).toEqual(expected);
    });
  }
});

describe('the partner boundary: role × action', () => {
  it("a partner cannot post to the exchange, join a working group or read the directory's search", async () => {
    const exchange = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { title: 'We need help', body: 'A body long enough for a request.', publish: 'yes' }, { cookie: cookies.partner });
    expect(exchange.status).toBeGreaterThanOrEqual(400);
    expect(exchange.status).toBeLessThan(500);
    const join = await postForm(server.url, `/en/groups/utilities-renewal/?_action=groups.join`, { group: String(groupId) }, { cookie: cookies.partner });
    expect(join.status).toBe(403);
    expect((await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM group_members m JOIN users u ON u.id = m.user_id WHERE u.role = 'partner'`))[0]!.n).toBe(0);
  });

  it('a partner answers a topic that names it; a member of a town not named cannot; a visitor is asked to sign in', async () => {
    const topic = (await readRows(server.databaseUrl, sql<{ topic_id: number }>`SELECT topic_id FROM dialogue_topic_partners dp JOIN dialogue_topics t ON t.id = dp.topic_id WHERE t.status NOT IN ('agreed', 'declined', 'closed') ORDER BY topic_id`))[0]!.topic_id;
    const answer = (cookie?: string) => postForm(server.url, `/en/dialogue/${topic}/?_action=dialogue.answer`, { topic: String(topic), body: 'We can meet next month.' }, { cookie });
    expect((await answer(cookies.partner)).status).toBe(200);
    const ridder = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    expect((await answer(ridder)).status).toBe(403);
    expect((await answer(undefined)).status).toBe(401);
  });

  it('only editors approve partner applications, moderate topics and make them public', async () => {
    const approve = await postForm(server.url, '/en/editor/partners/1/?_action=partners.approve', { partner: '1' }, { cookie: cookies.partner });
    expect(approve.status).toBe(403);
    const makePublic = (cookie?: string) => postForm(server.url, `/en/dialogue/${membersTopic}/?_action=dialogue.visibility`, { topic: String(membersTopic), public: 'yes' }, { cookie });
    expect((await makePublic(cookies.partner)).status).toBe(403);
    expect((await makePublic(cookies.townAdmin)).status).toBe(403);
    const posts = await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM dialogue_posts ORDER BY id`);
    const hide = await postForm(server.url, `/en/dialogue/${membersTopic}/?_action=dialogue.hidePost`, { post: String(posts[0]!.id), rule: 'respect', reason: 'Not kind' }, { cookie: cookies.member });
    expect(hide.status).toBe(403);
  });
});

describe('visibility over HTTP', () => {
  it('the RSS feed and the sitemap list public topics only', async () => {
    const feed = await (await request(server.url, '/ru/dialogue/rss.xml')).text();
    expect(feed).toContain(`/ru/dialogue/${publicTopic}/`);
    expect(feed).not.toContain(`/ru/dialogue/${membersTopic}/`);
    const sitemap = await (await request(server.url, '/sitemap-pages.xml')).text();
    expect(sitemap).toContain(`/dialogue/${publicTopic}/`);
    expect(sitemap).not.toContain(`/dialogue/${membersTopic}/`);
  });

  it('search rows: public topics for everyone, members-only ones for signed-in accounts', async () => {
    const rows = await readRows(server.databaseUrl, sql<{ path: string; audience: string; section: string }>`SELECT path, audience, section FROM search_documents WHERE source = 'dialogue' ORDER BY path`);
    expect(rows).toContainEqual({ path: `/dialogue/${publicTopic}/`, audience: 'public', section: 'dialogue' });
    expect(rows).toContainEqual({ path: `/dialogue/${membersTopic}/`, audience: 'signed_in', section: 'dialogue' });
  });
});
