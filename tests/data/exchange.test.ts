import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { suggestPeople, suggestTowns, type CaseCounts } from '~/server/exchange/matching.ts';
import { changeRequestStatus, createRequest, getRequest, requestHistory, setRequestHidden, updateRequest, withdrawRequest, type RequestInput } from '~/server/exchange/requests.ts';
import { listRequests, searchQuery } from '~/server/exchange/request-list.ts';
import { acceptedResponses, acceptResponse, addResponse, editResponse, getResponse, inviteToRequest, invitedMembers, listResponses, setResponseHidden, withdrawResponse } from '~/server/exchange/responses.ts';
import { setWatchedTopics, watchedTopics, watchersOf } from '~/server/exchange/watches.ts';
import { createTestDatabase, testEngine } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const towns: Record<string, number> = {};

async function town(slug: string, region: string) {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: `${slug}-kk`, name_ru: `${slug}-ru`, name_en: slug, region, population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  towns[slug] = row.id;
}

async function user(name: string, townSlug: string | null, profile: { topics?: string[]; languages?: string[]; contactable?: boolean; role?: Role } = {}) {
  const id = await insertUser(db, { email: `${name.toLowerCase()}@example.org`, passwordHash: 'x', displayName: name, role: profile.role ?? 'member', townId: townSlug ? towns[townSlug]! : null, language: 'en' }, 1);
  await db
    .updateTable('users')
    .set({ expertise_topics: JSON.stringify(profile.topics ?? []), languages_spoken: JSON.stringify(profile.languages ?? []), contactable: profile.contactable ? 1 : 0 })
    .where('id', '=', id)
    .execute();
  return id;
}

const request = (overrides: Partial<RequestInput> = {}): RequestInput => ({
  title: 'District heating network renewal',
  body: 'Our **network** is 60 years old.',
  helpForms: ['advice', 'study_visit'],
  topics: ['utilities-housing'],
  languages: ['ru'],
  urgency: 'normal',
  deadline: null,
  ...overrides,
});

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await town('temirtau', 'karaganda');
  await town('ridder', 'east-kazakhstan');
  await town('satpayev', 'ulytau');
  await town('zhanaozen', 'mangystau');
});
afterEach(() => cleanup());

describe('requests', () => {
  it('are stored as drafts or published, with topics, history and search', async () => {
    const author = await user('Gulnara', 'temirtau');
    const draft = await createRequest(db, { townId: towns.temirtau!, authorId: author, input: request(), publish: false }, 100);
    expect((await getRequest(db, draft))).toMatchObject({ status: 'draft', publishedAt: null, topics: ['utilities-housing'], helpForms: ['advice', 'study_visit'], languages: ['ru'], authorName: 'Gulnara', town: { slug: 'temirtau' } });

    const { published } = await updateRequest(db, draft, { actorId: author, input: request({ title: 'Heating tariffs', topics: ['municipal-finance', 'utilities-housing'] }), publish: true }, 200);
    expect(published).toBe(true);
    const again = await updateRequest(db, draft, { actorId: author, input: request({ title: 'Heating tariffs' }), publish: true }, 300);
    expect(again.published).toBe(false);
    expect(await getRequest(db, draft)).toMatchObject({ status: 'open', publishedAt: 200, title: 'Heating tariffs', topics: ['utilities-housing'] });
    expect(await db.selectFrom('help_request_topics').select('topic').where('request_id', '=', draft).execute()).toEqual([{ topic: 'utilities-housing' }]);
    expect((await requestHistory(db, draft)).map((event) => event.action)).toEqual(['drafted', 'published', 'edited']);
  });

  it('keep hostile text exactly as written', async () => {
    const author = await user('Gulnara', 'temirtau');
    const body = '<script>alert(1)</script> [x](javascript:alert(1))';
    const id = await createRequest(db, { townId: towns.temirtau!, authorId: author, input: request({ body }), publish: true });
    expect((await getRequest(db, id))!.body).toBe(body);
  });
});

describe('the list of requests', () => {
  let gulnara: string;
  let irina: string;
  beforeEach(async () => {
    gulnara = await user('Gulnara', 'temirtau');
    irina = await user('Irina', 'ridder', { topics: ['youth-skills'] });
    const make = (townSlug: string, author: string, at: number, input: Partial<RequestInput>, publish = true) =>
      createRequest(db, { townId: towns[townSlug]!, authorId: author, input: request(input), publish }, at);
    await make('temirtau', gulnara, 10, { title: 'Heating renewal', topics: ['utilities-housing'], languages: ['ru'] });
    await make('temirtau', gulnara, 20, { title: 'Youth leaving town', topics: ['youth-skills'], languages: ['kk', 'ru'], body: 'Молодёжь уезжает в Караганду' });
    await make('ridder', irina, 30, { title: 'Tourism for a mining town', topics: ['economic-diversification'], languages: ['en'] });
    await make('temirtau', gulnara, 40, { title: 'Draft idea', topics: ['youth-skills'] }, false);
  });

  const titles = async (filters: Parameters<typeof listRequests>[2], viewer = { id: irina, townId: towns.ridder! }) =>
    (await listRequests(db, viewer, filters)).items.map((item) => item.title);

  it('pages a text search newest first, whether the newest requests fill the page or an old match is all there is', async () => {
    // PostgreSQL first tests the newest requests (src/server/exchange/request-list.ts,
    // newestMatches), then asks the index: both ways must give the same pages.
    const make = (at: number, title: string, topics = ['utilities-housing']) => createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request({ title, body: 'Text.', topics }) , publish: true }, at);
    await make(50, 'Lighthouse of the steppe', ['youth-skills']);
    const pumps: string[] = [];
    for (let n = 1; n <= 12; n++) {
      await make(100 + n * 2, `Water pumps ${n}`);
      await make(101 + n * 2, `Roads ${n}`);
      pumps.unshift(`Water pumps ${n}`);
    }
    const page = async (query: string, number: number, topic?: string) => {
      const list = await listRequests(db, { id: irina, townId: towns.ridder! }, { query, page: number, ...(topic ? { topic } : {}) }, 5);
      return { titles: list.items.map((item) => item.title), hasNext: list.hasNext };
    };
    expect(await page('pump', 1)).toEqual({ titles: pumps.slice(0, 5), hasNext: true });
    expect(await page('water pum', 2, 'utilities-housing')).toEqual({ titles: pumps.slice(5, 10), hasNext: true });
    expect(await page('pumps', 3)).toEqual({ titles: pumps.slice(10), hasNext: false });
    expect(await page('lighthouse steppe', 1)).toEqual({ titles: ['Lighthouse of the steppe'], hasNext: false });
    expect(await page('lighthouse', 1, 'utilities-housing')).toEqual({ titles: [], hasNext: false });
  });

  it('a prefix finds words written after an earlier search of it, and loses words edited away', async () => {
    // On SQLite a prefix is asked as the terms it stands for, kept while the FTS5 index is
    // unchanged (src/server/exchange/prefix-terms.ts): a write must show at the next search.
    const titlesOf = async (query: string) => (await listRequests(db, { id: irina, townId: towns.ridder! }, { query })).items.map((item) => item.title);
    const make = (at: number, title: string, body = 'Text.') => createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request({ title, body }), publish: true }, at);
    await make(50, 'Heat pumps');
    expect(await titlesOf('heat')).toEqual(['Heat pumps', 'Heating renewal']);
    const heatwave = await make(60, 'Heatwave shelters');
    expect(await titlesOf('heat')).toEqual(['Heatwave shelters', 'Heat pumps', 'Heating renewal']);
    expect(await titlesOf('HEATW')).toEqual(['Heatwave shelters']);
    await updateRequest(db, heatwave, { actorId: gulnara, input: request({ title: 'Cooling shelters', body: 'Text.' }), publish: false }, 70);
    expect(await titlesOf('heatw')).toEqual([]);
    expect(await titlesOf('heat')).toEqual(['Heat pumps', 'Heating renewal']);
    if (testEngine() === 'postgres') return;
    // SQLite's tokenizer folds Latin letters with diacritics to their base and keeps й and ё; the expansion folds alike.
    await make(80, 'Café and ёлка', 'Йод');
    expect(await titlesOf('cafe')).toEqual(['Café and ёлка']);
    expect(await titlesOf('CAFÉ ЁЛ йо')).toEqual(['Café and ёлка']);
    expect(await titlesOf('ел')).toEqual([]);
  });

  it('shows published requests newest first, never drafts of other towns', async () => {
    expect(await titles({})).toEqual(['Tourism for a mining town', 'Youth leaving town', 'Heating renewal']);
  });

  it('filters by status, topic, region, town and language', async () => {
    expect(await titles({ topic: 'youth-skills' })).toEqual(['Youth leaving town']);
    expect(await titles({ region: 'east-kazakhstan' })).toEqual(['Tourism for a mining town']);
    expect(await titles({ town: towns.temirtau })).toEqual(['Youth leaving town', 'Heating renewal']);
    expect(await titles({ language: 'kk' })).toEqual(['Youth leaving town']);
    expect(await titles({ status: 'resolved' })).toEqual([]);
  });

  it('finds words in titles and bodies, in any script, with typed operators treated as text', async () => {
    expect(await titles({ query: 'heating' })).toEqual(['Heating renewal']);
    expect(await titles({ query: 'молодёжь' })).toEqual(['Youth leaving town']);
    expect(await titles({ query: 'Карага' })).toEqual(['Youth leaving town']);
    expect(await titles({ query: '"OR NOT heating*' })).toEqual([]);
    expect(searchQuery('  ***  ')).toBeNull();
    expect(searchQuery('a"b NEAR(c)')).toBe('"a"* "b"* "NEAR"* "c"*');
  });

  it('shows "matching my expertise" from other towns and "from my town" with its drafts', async () => {
    expect(await titles({ scope: 'expertise' })).toEqual(['Youth leaving town']);
    expect(await titles({ scope: 'town' }, { id: gulnara, townId: towns.temirtau! })).toEqual(['Draft idea', 'Youth leaving town', 'Heating renewal']);
  });

  it('shows "requests I answered" and counts visible responses', async () => {
    const youth = (await listRequests(db, { id: irina, townId: towns.ridder! }, { topic: 'youth-skills' })).items[0]!;
    const first = await addResponse(db, { requestId: youth.id, authorId: irina, townId: towns.ridder!, body: 'We ran a programme', links: [] });
    await addResponse(db, { requestId: youth.id, authorId: irina, townId: towns.ridder!, body: 'And another', links: [] });
    await setResponseHidden(db, { id: first, requestId: youth.id }, { actorId: gulnara, reason: 'Off topic' });
    const answered = (await listRequests(db, { id: irina, townId: towns.ridder! }, { scope: 'answered' })).items;
    expect(answered.map((item) => [item.title, item.responses])).toEqual([['Youth leaving town', 1]]);
  });

  it('pages through results and hides hidden requests', async () => {
    const first = await listRequests(db, { id: irina, townId: towns.ridder! }, { page: 1 }, 2);
    expect(first.items).toHaveLength(2);
    expect(first.hasNext).toBe(true);
    const second = await listRequests(db, { id: irina, townId: towns.ridder! }, { page: 2 }, 2);
    expect(second.items.map((item) => item.title)).toEqual(['Heating renewal']);
    expect(second.hasNext).toBe(false);
    await setRequestHidden(db, second.items[0]!.id, { actorId: gulnara, reason: 'Duplicate of another request' });
    expect(await titles({})).toEqual(['Tourism for a mining town', 'Youth leaving town']);
  });
});

describe('responses and the request lifecycle', () => {
  it('accepts, moves to in progress, resolves, and counts the responder’s track record per topic', async () => {
    const gulnara = await user('Gulnara', 'temirtau');
    const irina = await user('Irina', 'ridder');
    const id = await createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request({ topics: ['utilities-housing', 'municipal-finance'] }), publish: true }, 10);
    const response = await addResponse(db, { requestId: id, authorId: irina, townId: towns.ridder!, body: 'We did this in 2019', links: ['https://example.org/report'] }, 20);
    await editResponse(db, response, { body: 'We did this in 2019 and 2020', links: [] }, 30);
    expect(await getResponse(db, response)).toMatchObject({ body: 'We did this in 2019 and 2020', links: [], accepted: false, updatedAt: 30 });

    expect(await acceptResponse(db, { requestId: id, responseId: response, actorId: gulnara }, 40)).toBe(true);
    expect(await acceptResponse(db, { requestId: id, responseId: response, actorId: gulnara }, 41)).toBe(false);
    expect((await getRequest(db, id))!.status).toBe('in_progress');
    const counts = await db.selectFrom('help_match_index').select(['topic', 'accepted']).where('user_id', '=', irina).orderBy('topic').execute();
    expect(counts).toEqual([{ topic: 'municipal-finance', accepted: 1 }, { topic: 'utilities-housing', accepted: 1 }]);

    await changeRequestStatus(db, id, { actorId: gulnara, status: 'resolved', outcome: 'Tariff plan adopted' }, 50);
    expect(await getRequest(db, id)).toMatchObject({ status: 'resolved', outcome: 'Tariff plan adopted', resolvedAt: 50 });
    expect((await requestHistory(db, id)).map((event) => [event.action, event.actorName])).toEqual([
      ['published', 'Gulnara'], ['responded', 'Irina'], ['accepted', 'Gulnara'], ['resolved', 'Gulnara'],
    ]);
  });

  it('a response from another request cannot be accepted through this one', async () => {
    const gulnara = await user('Gulnara', 'temirtau');
    const irina = await user('Irina', 'ridder');
    const mine = await createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request(), publish: true });
    const theirs = await createRequest(db, { townId: towns.ridder!, authorId: irina, input: request(), publish: true });
    const response = await addResponse(db, { requestId: theirs, authorId: gulnara, townId: towns.temirtau!, body: 'x', links: [] });
    expect(await acceptResponse(db, { requestId: mine, responseId: response, actorId: gulnara })).toBe(false);
    expect((await getResponse(db, response))!.accepted).toBe(false);
  });

  it('withdraws requests and responses, hides and shows them again, with history', async () => {
    const gulnara = await user('Gulnara', 'temirtau');
    const irina = await user('Irina', 'ridder');
    const editor = await user('Daniyar', null, { role: 'editor' });
    const id = await createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request(), publish: true }, 1);
    const response = await addResponse(db, { requestId: id, authorId: irina, townId: towns.ridder!, body: 'x', links: [] }, 2);
    await setResponseHidden(db, { id: response, requestId: id }, { actorId: editor, reason: 'Advertising' }, 3);
    expect(await getResponse(db, response)).toMatchObject({ hidden: true, hiddenReason: 'Advertising' });
    await setResponseHidden(db, { id: response, requestId: id }, { actorId: editor, reason: null }, 4);
    await withdrawResponse(db, { id: response, requestId: id, authorId: irina }, 5);
    expect(await getResponse(db, response)).toMatchObject({ hidden: false, withdrawn: true });
    await setRequestHidden(db, id, { actorId: editor, reason: 'Personal data in the text' }, 6);
    expect(await getRequest(db, id)).toMatchObject({ hidden: true, hiddenReason: 'Personal data in the text' });
    await withdrawRequest(db, id, gulnara, 7);
    expect((await getRequest(db, id))!.status).toBe('withdrawn');
    expect((await requestHistory(db, id)).map((event) => [event.action, event.note])).toEqual([
      ['published', null], ['responded', null], ['response_hidden', 'Advertising'], ['response_unhidden', null],
      ['response_withdrawn', null], ['hidden', 'Personal data in the text'], ['withdrawn', null],
    ]);
    expect((await listResponses(db, id, { id: gulnara, moderator: false })).responses.map((item) => item.id)).toEqual([response]);
  });

  it('pages 120 responses 50 at a time, oldest first, counting what each viewer sees, and keeps the accepted ones in reach', async () => {
    const gulnara = await user('Gulnara', 'temirtau');
    const irina = await user('Irina', 'ridder');
    const editor = await user('Editor', null, { role: 'editor' });
    const id = await createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request(), publish: true }, 1);
    const ids: number[] = [];
    // Two responses in each second: the id keeps the order of those written in the same second.
    for (let n = 0; n < 120; n += 1) ids.push(await addResponse(db, { requestId: id, authorId: irina, townId: towns.ridder!, body: `Response ${n + 1}`, links: [] }, 10 + Math.floor(n / 2)));
    const member = { id: gulnara, moderator: false };
    const pages = await Promise.all([1, 2, 3, 4].map((page) => listResponses(db, id, member, page)));
    expect(pages.map((page) => page.responses.length)).toEqual([50, 50, 20, 0]);
    expect(pages.flatMap((page) => page.responses.map((response) => response.id))).toEqual(ids);
    expect(pages[1]!.responses[0]!.body).toBe('Response 51');
    expect(pages.map((page) => [page.pages, page.current])).toEqual([[3, 120], [3, 120], [3, 120], [3, 120]]);

    // A hidden response is counted and paged only for its author and editors; a withdrawn one is shown to all but not counted.
    await setResponseHidden(db, { id: ids[0]!, requestId: id }, { actorId: editor, reason: 'Advertising' }, 200);
    await withdrawResponse(db, { id: ids[1]!, requestId: id, authorId: irina }, 201);
    expect(await listResponses(db, id, member, 3)).toMatchObject({ pages: 3, current: 118 });
    expect((await listResponses(db, id, member, 2)).responses[0]!.body).toBe('Response 52');
    expect((await listResponses(db, id, { id: irina, moderator: false }, 2)).responses[0]!.body).toBe('Response 51');
    expect((await listResponses(db, id, { id: editor, moderator: true }, 2)).responses[0]!.body).toBe('Response 51');

    // The accepted response on the third page, and on which page each viewer finds it.
    expect(await acceptResponse(db, { requestId: id, responseId: ids[110]!, actorId: gulnara }, 300)).toBe(true);
    expect((await acceptedResponses(db, id, member)).map((response) => [response.body, response.page])).toEqual([['Response 111', 3]]);
    for (const responseId of ids.slice(2, 11)) await setResponseHidden(db, { id: responseId, requestId: id }, { actorId: editor, reason: 'Advertising' }, 301);
    // Ten hidden before it: 100 visible before it, so it is the first on page 3 for a member, still on page 3 for an editor.
    expect((await acceptedResponses(db, id, member)).map((response) => response.page)).toEqual([3]);
    expect((await listResponses(db, id, member, 3)).responses[0]!.body).toBe('Response 111');
    expect((await listResponses(db, id, member, 3)).pages).toBe(3);
    expect((await acceptedResponses(db, id, { id: editor, moderator: true })).map((response) => response.page)).toEqual([3]);
    expect(await listResponses(db, id, member, 1)).toMatchObject({ pages: 3, current: 109 });
  });

  it('invites a member once', async () => {
    const gulnara = await user('Gulnara', 'temirtau');
    const irina = await user('Irina', 'ridder');
    const id = await createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request(), publish: true });
    expect(await inviteToRequest(db, { requestId: id, userId: irina, invitedBy: gulnara })).toBe(true);
    expect(await inviteToRequest(db, { requestId: id, userId: irina, invitedBy: gulnara })).toBe(false);
    expect(await invitedMembers(db, id)).toEqual(new Set([irina]));
  });
});

describe('topic watches', () => {
  it('tell watchers outside the requesting town, once each', async () => {
    const own = await user('Own', 'temirtau');
    const watcher = await user('Watcher', 'ridder');
    const editor = await user('Editor', null, { role: 'editor' });
    const disabled = await user('Gone', 'satpayev');
    await db.updateTable('users').set({ disabled_at: 5 }).where('id', '=', disabled).execute();
    for (const id of [own, watcher, editor, disabled]) await setWatchedTopics(db, id, ['utilities-housing', 'youth-skills']);
    await setWatchedTopics(db, watcher, ['utilities-housing', 'youth-skills', 'youth-skills']);
    expect(await watchedTopics(db, watcher)).toEqual(['utilities-housing', 'youth-skills']);
    expect((await watchersOf(db, ['utilities-housing', 'youth-skills'], towns.temirtau!)).sort()).toEqual([watcher, editor].sort());
    expect(await watchersOf(db, [], towns.temirtau!)).toEqual([]);
  });
});

describe('the matching', () => {
  // A fixed fixture: the request is Temirtau's, on utilities and finance, in Russian.
  const counts: CaseCounts = new Map([
    ['ridder', new Map([['utilities-housing', 3]])],
    ['satpayev', new Map([['municipal-finance', 1], ['youth-skills', 4]])],
    ['temirtau', new Map([['utilities-housing', 9]])],
  ]);

  it('ranks people and towns by the documented score, with reasons', async () => {
    const gulnara = await user('Gulnara', 'temirtau', { topics: ['utilities-housing'], languages: ['ru'] });
    const irina = await user('Irina', 'ridder', { topics: ['utilities-housing'], languages: ['ru', 'kk'], contactable: true });
    const askar = await user('Askar', 'satpayev', { topics: ['utilities-housing', 'municipal-finance'], languages: ['kk'] });
    const aigul = await user('Aigul', 'zhanaozen', { topics: ['youth-skills'], languages: ['ru'] });
    const nurlan = await user('Nurlan', 'zhanaozen', { topics: [], languages: ['ru'] });
    const gone = await user('Gone', 'ridder', { topics: ['utilities-housing', 'municipal-finance'], languages: ['ru'] });
    await db.updateTable('users').set({ disabled_at: 1 }).where('id', '=', gone).execute();

    // Nurlan has two accepted answers on utilities from earlier requests.
    const old = await createRequest(db, { townId: towns.ridder!, authorId: irina, input: request({ topics: ['utilities-housing'] }), publish: true });
    for (const body of ['one', 'two']) {
      const response = await addResponse(db, { requestId: old, authorId: nurlan, townId: towns.zhanaozen!, body, links: [] });
      await acceptResponse(db, { requestId: old, responseId: response, actorId: irina });
    }

    const match = { townId: towns.temirtau!, topics: ['utilities-housing', 'municipal-finance'], languages: ['ru'] };
    const people = await suggestPeople(db, match, counts);
    // Askar 3×2 + 1 case = 7; Irina 3×1 + 3 cases + ru = 7 (fewer accepted → same; name order);
    // Nurlan 2×2 + ru = 5; Aigul has no matching topic; Gulnara is of the requesting town.
    expect(people.map((person) => [person.name, person.score])).toEqual([['Askar', 7], ['Irina', 7], ['Nurlan', 5]]);
    expect(people.map((person) => person.id)).not.toContain(gulnara);
    expect(people.map((person) => person.id)).not.toContain(aigul);
    expect(people[0]!.reasons).toEqual({ expertiseTopics: ['utilities-housing', 'municipal-finance'], accepted: 0, townCases: 1, sharedLanguages: [] });
    expect(people[1]!).toMatchObject({ id: irina, contactable: true, reasons: { expertiseTopics: ['utilities-housing'], accepted: 0, townCases: 3, sharedLanguages: ['ru'] } });
    expect(people[2]!.reasons).toEqual({ expertiseTopics: [], accepted: 2, townCases: 0, sharedLanguages: ['ru'] });
    expect(people.map((person) => person.id)).not.toContain(askar === gone ? '' : gone);

    const suggestedTowns = await suggestTowns(db, match, counts);
    // Ridder 2×3 cases + 1 expert = 7; Satpayev 2×1 + 1 expert = 3; Zhanaozen 2 accepted = 2.
    expect(suggestedTowns.map((item) => [item.slug, item.score, item.reasons])).toEqual([
      ['ridder', 7, { cases: 3, accepted: 0, experts: 1 }],
      ['satpayev', 3, { cases: 1, accepted: 0, experts: 1 }],
      ['zhanaozen', 2, { cases: 0, accepted: 2, experts: 0 }],
    ]);
  });

  it('follows profile edits through the expertise index', async () => {
    const irina = await user('Irina', 'ridder', { topics: ['utilities-housing'] });
    const match = { townId: towns.temirtau!, topics: ['youth-skills'], languages: [] };
    expect(await suggestPeople(db, match, new Map())).toEqual([]);
    await db.updateTable('users').set({ expertise_topics: JSON.stringify(['youth-skills']) }).where('id', '=', irina).execute();
    expect((await suggestPeople(db, match, new Map())).map((person) => person.name)).toEqual(['Irina']);
    await db.updateTable('users').set({ expertise_topics: 'not json' }).where('id', '=', irina).execute();
    expect(await suggestPeople(db, match, new Map())).toEqual([]);
  });
});

describe('stored suggestions', () => {
  it('are computed once, read while fresh, and recomputed after an edit or when old', async () => {
    const { refreshSuggestions, suggestionsFor, SUGGESTIONS_MAX_AGE_SECONDS } = await import('~/server/exchange/suggestions.ts');
    const gulnara = await user('Gulnara', 'temirtau');
    const irina = await user('Irina', 'ridder', { topics: ['utilities-housing'] });
    const id = await createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request(), publish: true }, 1_000);
    const match = { id, townId: towns.temirtau!, topics: ['utilities-housing'], languages: ['ru'], updatedAt: 1_000 };
    let loads = 0;
    const counts = async () => {
      loads += 1;
      return new Map();
    };
    const first = await suggestionsFor(db, match, counts, 1_010);
    expect(first.people.map((person) => person.id)).toEqual([irina]);
    expect(loads).toBe(1);

    // A new expert appears, but the stored answer is still fresh: it is read, not recomputed.
    const askar = await user('Askar', 'satpayev', { topics: ['utilities-housing'] });
    expect((await suggestionsFor(db, match, counts, 1_020)).people.map((person) => person.id)).toEqual([irina]);
    expect(loads).toBe(1);

    // After an edit of the request, or once the answer is old, it is recomputed.
    expect((await suggestionsFor(db, { ...match, updatedAt: 1_030 }, counts, 1_030)).people.map((person) => person.id).sort()).toEqual([askar, irina].sort());
    expect(loads).toBe(2);
    await db.updateTable('users').set({ expertise_topics: '[]' }).where('id', '=', irina).execute();
    expect((await suggestionsFor(db, match, counts, 1_030 + SUGGESTIONS_MAX_AGE_SECONDS)).people.map((person) => person.id)).toEqual([askar]);
    expect(loads).toBe(3);

    const refreshed = await refreshSuggestions(db, match, new Map(), 5_000);
    expect(refreshed.computedAt).toBe(5_000);
    expect(await db.selectFrom('help_request_suggestions').select('computed_at').where('request_id', '=', id).executeTakeFirstOrThrow()).toEqual({ computed_at: 5_000 });
  });
});

// SQLite only: another process holding SQLite's one write lock. On PostgreSQL the
// upsert of stored suggestions waits for no lock but its own row's.
describe.skipIf(testEngine() === 'postgres')('stored suggestions when the database is busy', () => {
  it('are still returned to the view when another writer holds the lock', async () => {
    const { refreshSuggestions } = await import('~/server/exchange/suggestions.ts');
    const { default: SQLite } = await import('better-sqlite3');
    const { sql } = await import('kysely');
    const gulnara = await user('Gulnara', 'temirtau');
    const irina = await user('Irina', 'ridder', { topics: ['utilities-housing'] });
    const id = await createRequest(db, { townId: towns.temirtau!, authorId: gulnara, input: request(), publish: true });
    await sql`PRAGMA busy_timeout = 50`.execute(db);
    const path = (await sql<{ file: string }>`SELECT file FROM pragma_database_list WHERE name = 'main'`.execute(db)).rows[0]!.file;
    const other = new SQLite(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const answer = await refreshSuggestions(db, { id, townId: towns.temirtau!, topics: ['utilities-housing'], languages: ['ru'] }, new Map());
      expect(answer.people.map((person) => person.id)).toEqual([irina]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await db.selectFrom('help_request_suggestions').select('request_id').where('request_id', '=', id).execute()).toEqual([]);
  });
});
