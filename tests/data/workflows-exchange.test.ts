import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { getRequest, type HelpRequest, type RequestInput } from '~/server/exchange/requests.ts';
import { getResponse } from '~/server/exchange/responses.ts';
import { setWatchedTopics } from '~/server/exchange/watches.ts';
import { acceptAnswer, answerRequest, caseFromRequest, findInvitable, hideRequest, inviteToAnswer, postRequest, reviseRequest } from '~/server/exchange/workflows.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { notified, testNotifier } from '../helpers/notified.ts';

/**
 * The exchange's workflows without HTTP: each step that changes a request or a
 * response tells the members it concerns, and nobody else.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
const towns: Record<string, number> = {};
const noCases = async () => new Map();

async function town(slug: string) {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: `${slug}-kk`, name_ru: `${slug}-ru`, name_en: `${slug}-en`, region: 'karaganda', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  towns[slug] = row.id;
}

async function user(name: string, townSlug: string | null, contactable = false) {
  const id = await insertUser(db, { email: `${name.toLowerCase()}@example.org`, passwordHash: 'x', displayName: name, role: 'member', townId: townSlug ? towns[townSlug]! : null, language: 'en' }, 1);
  if (contactable) await db.updateTable('users').set({ contactable: 1 }).where('id', '=', id).execute();
  return id;
}

const input = (overrides: Partial<RequestInput> = {}): RequestInput => ({
  title: 'District heating network renewal',
  body: 'Our network is 60 years old.',
  helpForms: ['advice'],
  topics: ['utilities-housing'],
  languages: ['ru'],
  urgency: 'normal',
  deadline: null,
  ...overrides,
});

let author: string;
const authorOf = () => ({ id: author, townId: towns.temirtau!, townName: 'temirtau-en' });
const published = async (): Promise<HelpRequest> => (await getRequest(db, await postRequest(db, notifier, { author: authorOf(), input: input(), publish: true, caseCounts: noCases })))!;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  await town('temirtau');
  await town('ridder');
  author = await user('Gulnara', 'temirtau');
});
afterEach(() => cleanup());

describe('publishing a request', () => {
  it('notifies the watchers of its topics outside the requesting town, once each', async () => {
    const watcher = await user('Watcher', 'ridder');
    const colleague = await user('Colleague', 'temirtau');
    const elsewhere = await user('Elsewhere', 'ridder');
    await setWatchedTopics(db, watcher, ['utilities-housing', 'municipal-finance']);
    await setWatchedTopics(db, colleague, ['utilities-housing']);
    await setWatchedTopics(db, elsewhere, ['tourism']);

    const request = await published();

    expect(await notified(db)).toEqual([{ userId: watcher, kind: 'exchange.new_request', link: `/en/exchange/${request.id}/`, params: { title: request.title, town: 'temirtau-en' } }]);
    // The request was scored for suggestions when it was published.
    expect(await db.selectFrom('help_request_suggestions').select('request_id').execute()).toEqual([{ request_id: request.id }]);
  });

  it('tells nobody while it is a draft, and the watchers once when the draft is published', async () => {
    const watcher = await user('Watcher', 'ridder');
    await setWatchedTopics(db, watcher, ['utilities-housing']);
    const draftId = await postRequest(db, notifier, { author: authorOf(), input: input(), publish: false, caseCounts: noCases });
    expect(await notified(db)).toEqual([]);

    const draft = (await getRequest(db, draftId))!;
    expect(await reviseRequest(db, notifier, { request: draft, actorId: author, input: input(), publish: true, townName: 'temirtau-en', caseCounts: noCases })).toEqual({ published: true });
    const open = (await getRequest(db, draftId))!;
    expect(await reviseRequest(db, notifier, { request: open, actorId: author, input: input({ title: 'Heating tariffs' }), publish: true, townName: 'temirtau-en', caseCounts: noCases })).toEqual({ published: true });
    expect((await notified(db)).map((row) => [row.userId, row.kind])).toEqual([[watcher, 'exchange.new_request']]);
  });
});

describe('answering a request', () => {
  it('notifies the requesting town’s author of a response, and the responder when it is accepted', async () => {
    const request = await published();
    const responder = await user('Responder', 'ridder');
    const responseId = await answerRequest(db, notifier, { request, author: { id: responder, townId: towns.ridder!, townName: 'ridder-en' }, body: 'We renewed ours.', links: [] });
    expect(await notified(db, 'exchange.response_received')).toEqual([
      { userId: author, kind: 'exchange.response_received', link: `/en/exchange/${request.id}/#response-${responseId}`, params: { title: request.title, town: 'ridder-en' } },
    ]);

    const response = (await getResponse(db, responseId))!;
    expect(await acceptAnswer(db, notifier, { request, response, actorId: author, language: 'ru' })).toBe(true);
    expect(await acceptAnswer(db, notifier, { request, response, actorId: author, language: 'ru' })).toBe(false);
    expect(await notified(db, 'exchange.response_accepted')).toEqual([
      { userId: responder, kind: 'exchange.response_accepted', link: `/en/exchange/${request.id}/#response-${responseId}`, params: { title: request.title, town: 'temirtau-en' } },
    ]);
    // The town is named in the responder's language (English), not the accepting author's (Russian).
  });

  it('invites only contactable members of other towns, and tells them once', async () => {
    const request = await published();
    const expert = await user('Expert', 'ridder', true);
    const shy = await user('Shy', 'ridder');
    const colleague = await user('Colleague', 'temirtau', true);
    expect(await findInvitable(db, shy, request)).toBeUndefined();
    expect(await findInvitable(db, colleague, request)).toBeUndefined();
    expect(await findInvitable(db, expert, request)).toEqual({ id: expert, displayName: 'Expert' });

    const invitation = { request, memberId: expert, inviter: { id: author, displayName: 'Gulnara' }, language: 'en' as const };
    expect(await inviteToAnswer(db, notifier, invitation)).toBe(true);
    expect(await inviteToAnswer(db, notifier, invitation)).toBe(false);
    expect((await notified(db)).map((row) => [row.userId, row.kind])).toEqual([[expert, 'exchange.invited']]);
  });
});

describe('moderating and closing', () => {
  it('tells the author why their request was hidden', async () => {
    const request = await published();
    const editor = await user('Editor', null);
    await hideRequest(db, notifier, { request, actorId: editor, reason: 'Personal data in the text' });
    expect((await getRequest(db, request.id))!.hidden).toBe(true);
    expect(await notified(db)).toEqual([{ userId: author, kind: 'exchange.hidden', link: `/en/exchange/${request.id}/`, params: { title: request.title, reason: 'Personal data in the text' } }]);
  });

  it('turns a request into one case draft of its town, however often it is asked', async () => {
    const request = await published();
    const first = await caseFromRequest(db, { request, authorId: author, language: 'ru' });
    expect(await caseFromRequest(db, { request, authorId: author, language: 'ru' })).toBe(first);
    expect(await db.selectFrom('member_cases').select(['id', 'town_id', 'source_request_id']).execute()).toEqual([{ id: first, town_id: towns.temirtau, source_request_id: request.id }]);
  });
});
