import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LANGUAGES } from '~/i18n/index.ts';
import { insertUser } from '~/server/accounts/users.ts';
import { createLucia, type CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { historyText } from '~/server/dialogue/history.ts';
import { listTopics, publicTopics, topicPage } from '~/server/dialogue/topics.ts';
import { answerTopic, approveTopic, hidePost, openTopic, setTopicStatus, setTopicVisibility, type TopicInput } from '~/server/dialogue/workflows.ts';
import { acceptInvitation, sendInvitation } from '~/server/membership/invitations.ts';
import { canRemoveColleague, colleagueOrganisation } from '~/server/membership/rules.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { applyAsPartner, approvePartner, rejectPartner, type PartnerApplicationInput } from '~/server/partners/applications.ts';
import { onDemandPublicPages } from '~/server/sitemap/pages.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { notified, testNotifier } from '../helpers/notified.ts';

/**
 * Partners and the dialogue space without HTTP, on SQLite and PostgreSQL: a partner's
 * application, approval and first account; topics opened, moderated and ended; what
 * search, the sitemap and the feed hold of public and members-only topics; who hears of what.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
const ADDRESS = '203.0.113.9';

const application: PartnerApplicationInput = {
  name: 'Karaganda Steel',
  kind: 'company',
  registrationNumber: '950340000123',
  sector: 'Metallurgy',
  regions: ['karaganda'],
  contactName: 'Marat Ospanov',
  email: 'Contact@Steel.example.kz',
  phone: '+7 721 000 00 00',
  motivation: 'We want to plan the heat supply together with the town.',
  language: 'ru',
};

async function town(slug: string): Promise<number> {
  return (await db.insertInto('towns').values({ slug, name_kk: slug, name_ru: slug, name_en: slug, region: 'karaganda', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow()).id;
}

/** An account as pages see it (CurrentUser), stored in the database too. */
async function account(role: CurrentUser['role'], email: string, where: { townId?: number; partnerId?: number } = {}): Promise<CurrentUser> {
  const id = await insertUser(db, { email, passwordHash: 'x', displayName: email.split('@')[0]!, role, townId: where.townId ?? null, partnerId: where.partnerId ?? null, language: 'en' });
  return {
    id, email, displayName: email.split('@')[0]!, role, language: 'en', disabled: false,
    town: where.townId ? { id: where.townId, slug: 't', name: { kk: 't', ru: 't', en: 't' } } : null,
    partner: where.partnerId ? { id: where.partnerId, name: 'P' } : null,
  };
}

async function approvedPartner(name = 'Agency'): Promise<number> {
  return (await db.insertInto('partners').values({ name, kind: 'development_agency', registration_number: '1', sector: 's', regions: '[]', contact_name: 'c', email: `${name}@example.org`, phone: '1', motivation: 'm', language: 'en', status: 'approved', decision_reason: null, decided_by: null, decided_at: 1, created_at: 1 }).returning('id').executeTakeFirstOrThrow()).id;
}

const topicInput = (overrides: Partial<TopicInput> = {}): TopicInput => ({
  title: 'Heat network renewal', body: 'The **network** is old: shall we renew it together?', kind: 'proposal', topics: ['utilities-housing'], regions: ['karaganda'],
  townIds: [], partnerIds: [], public: false, language: 'en', ...overrides,
});

const searchRows = () => db.selectFrom('search_documents').select(['key', 'section', 'audience', 'path', 'title']).where('source', '=', 'dialogue').orderBy('key').execute();
const sitemapPaths = async () => (await onDemandPublicPages(db)).map((page) => page.path).filter((path) => path.startsWith('dialogue/'));

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
});
afterEach(() => cleanup());

describe('the schema', () => {
  it('accepts the partner role and still refuses a role it does not know', async () => {
    const partnerId = await approvedPartner();
    await expect(insertUser(db, { email: 'p@example.org', passwordHash: 'x', displayName: 'P', role: 'partner', townId: null, partnerId, language: 'en' })).resolves.toBeTypeOf('string');
    await expect(db.insertInto('users').values({ id: 'u9', email: 'x@example.org', password_hash: 'x', display_name: 'X', role: 'superuser' as never, town_id: null, language: 'en', created_at: 1, updated_at: 1 }).execute()).rejects.toThrow(/CHECK|constraint/i);
  });
});

describe('partner applications', () => {
  it('an application is stored, confirmed to the contact and announced to editors; a second from the same email is a duplicate', async () => {
    const editor = await account('editor', 'editor@example.org');
    expect(await applyAsPartner(db, notifier, application, ADDRESS)).toBe('submitted');
    expect(await applyAsPartner(db, notifier, application, ADDRESS)).toBe('duplicate');
    expect(await db.selectFrom('partners').select(['name', 'status', 'email', 'regions']).execute()).toEqual([{ name: 'Karaganda Steel', status: 'pending', email: 'contact@steel.example.kz', regions: '["karaganda"]' }]);
    expect((await notified(db, 'partners.application_received')).map((row) => [row.userId, row.link, row.params])).toEqual([[editor.id, '/en/editor/partners/', { partner: 'Karaganda Steel' }]]);
    const mail = await db.selectFrom('email_outbox').select(['to_address', 'language', 'subject']).where('to_address', '=', 'contact@steel.example.kz').execute();
    expect(mail).toEqual([{ to_address: 'contact@steel.example.kz', language: 'ru', subject: 'Мы получили вашу заявку на партнёрство' }]);
  });

  it('approval invites the contact to an account with the role partner in that organisation; a second decision changes nothing', async () => {
    const editor = await account('editor', 'editor@example.org');
    await applyAsPartner(db, notifier, application, ADDRESS);
    const { id } = await db.selectFrom('partners').select('id').executeTakeFirstOrThrow();
    expect(await approvePartner(db, notifier, { partnerId: id, editorId: editor.id, clientAddress: ADDRESS })).toEqual({ ok: true });
    expect(await approvePartner(db, notifier, { partnerId: id, editorId: editor.id, clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'alreadyDecided' });
    expect(await rejectPartner(db, notifier, { partnerId: id, editorId: editor.id, reason: 'Too late now', clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'alreadyDecided' });
    const invitation = (await db.selectFrom('email_outbox').select(['text_body', 'language']).orderBy('id', 'desc').executeTakeFirstOrThrow());
    expect(invitation.language).toBe('ru');
    expect(invitation.text_body).toContain('Karaganda Steel');
    const token = /token=([\w-]+)/.exec(invitation.text_body)![1]!;
    const auth = createLucia(db, { production: false });
    const accepted = await acceptInvitation(db, auth, { token, displayName: 'Marat', password: 'a long partner password 2026', clientAddress: ADDRESS });
    expect(accepted.ok).toBe(true);
    const user = await db.selectFrom('users').select(['role', 'partner_id', 'town_id']).where('email', '=', 'contact@steel.example.kz').executeTakeFirstOrThrow();
    expect(user).toEqual({ role: 'partner', partner_id: id, town_id: null });
    const session = await auth.validateSession(accepted.ok ? accepted.cookie.value : '');
    expect(session.user).toMatchObject({ role: 'partner', town: null, partner: { id, name: 'Karaganda Steel' } });
    expect(await db.selectFrom('audit_log').select('action').where('action', 'like', 'partner.%').execute()).toEqual([{ action: 'partner.approved' }]);
  });

  it('rejection tells the contact the reason, in their language', async () => {
    const editor = await account('editor', 'editor@example.org');
    await applyAsPartner(db, notifier, application, ADDRESS);
    const { id } = await db.selectFrom('partners').select('id').executeTakeFirstOrThrow();
    expect(await rejectPartner(db, notifier, { partnerId: id, editorId: editor.id, reason: 'Please apply with the registration certificate.', clientAddress: ADDRESS })).toEqual({ ok: true });
    expect(await db.selectFrom('partners').select(['status', 'decision_reason']).executeTakeFirstOrThrow()).toEqual({ status: 'rejected', decision_reason: 'Please apply with the registration certificate.' });
    const mail = await db.selectFrom('email_outbox').select(['subject', 'text_body']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mail.subject).toBe('Ваша заявка на партнёрство');
    expect(mail.text_body).toContain('Please apply with the registration certificate.');
  });

  it('a partner invites colleagues into its own organisation only, and removes partner accounts of it only', async () => {
    const partnerId = await approvedPartner('Steel');
    const otherPartner = await approvedPartner('Other');
    const partner = await account('partner', 'p1@example.org', { partnerId });
    expect(colleagueOrganisation(partner)).toMatchObject({ kind: 'partner', id: partnerId, invitedRole: 'partner' });
    expect(await sendInvitation(db, notifier.mailer, { email: 'p2@example.org', name: 'Colleague', role: 'partner', townId: null, partnerId, language: 'en', invitedBy: partner.id, baseUrl: notifier.baseUrl, clientAddress: ADDRESS })).toBe('sent');
    expect(canRemoveColleague(partner, { id: 'x', townId: null, role: 'partner', partnerId })).toBe(true);
    expect(canRemoveColleague(partner, { id: 'x', townId: null, role: 'partner', partnerId: otherPartner })).toBe(false);
    expect(canRemoveColleague(partner, { id: partner.id, townId: null, role: 'partner', partnerId })).toBe(false);
    expect(canRemoveColleague(partner, { id: 'y', townId: 3, role: 'member', partnerId: null })).toBe(false);
  });
});

describe('dialogue topics', () => {
  it("a partner's first topic waits for an editor, who approves it; its offer stays members-only; the second topic opens at once", async () => {
    const editor = await account('editor', 'editor@example.org');
    const temirtau = await town('temirtau');
    const townMember = await account('member', 'temirtau@example.org', { townId: temirtau });
    const partnerId = await approvedPartner();
    const partner = await account('partner', 'partner@example.org', { partnerId });

    const first = await openTopic(db, notifier, partner, topicInput({ kind: 'offer', public: true, townIds: [temirtau] }));
    expect(first).toMatchObject({ ok: true, approved: false });
    const firstId = first.ok ? first.id : 0;
    expect(await searchRows()).toEqual([]);
    expect(await topicPage(db, townMember, firstId)).toBeUndefined();
    expect(await topicPage(db, partner, firstId)).toMatchObject({ facts: { approved: false } });
    expect((await listTopics(db, townMember)).map((topic) => topic.id)).toEqual([]);
    expect((await notified(db, 'dialogue.awaiting_approval')).map((row) => row.userId)).toEqual([editor.id]);
    expect(await notified(db, 'dialogue.named')).toEqual([]);

    expect(await approveTopic(db, notifier, townMember, firstId)).toEqual({ ok: false, problem: 'forbidden' });
    expect(await approveTopic(db, notifier, editor, firstId)).toEqual({ ok: true });
    expect(await searchRows()).toEqual([{ key: `dialogue:${firstId}:en`, section: 'dialogue', audience: 'signed_in', path: `/dialogue/${firstId}/`, title: 'Heat network renewal' }]);
    expect((await notified(db, 'dialogue.named')).map((row) => [row.userId, row.link])).toEqual([[townMember.id, `/en/dialogue/${firstId}/`]]);
    expect((await notified(db, 'dialogue.approved')).map((row) => row.userId)).toEqual([partner.id]);

    const second = await openTopic(db, notifier, partner, topicInput({ kind: 'question', public: true }));
    expect(second).toMatchObject({ ok: true, approved: true });
    expect((await searchRows()).map((row) => row.audience)).toEqual(['signed_in', 'public']);
  });

  it('public topics are in search for everyone, the sitemap and the feed; members-only ones never; an editor moves a topic between the two', async () => {
    const editor = await account('editor', 'editor@example.org');
    const temirtau = await town('temirtau');
    const admin = await account('town_admin', 'admin@temirtau.example.org', { townId: temirtau });
    const open = await openTopic(db, notifier, admin, topicInput({ public: true, title: 'Public heat' }));
    const closed = await openTopic(db, notifier, admin, topicInput({ public: false, title: 'Members heat' }));
    const publicId = open.ok ? open.id : 0;
    const membersId = closed.ok ? closed.id : 0;
    expect((await searchRows()).map((row) => [row.title, row.audience])).toEqual([['Public heat', 'public'], ['Members heat', 'signed_in']]);
    expect(await sitemapPaths()).toEqual(['dialogue/', `dialogue/${publicId}/`]);
    expect((await publicTopics(db)).map((topic) => topic.id)).toEqual([publicId]);
    expect((await listTopics(db, null)).map((topic) => topic.id)).toEqual([publicId]);
    expect(await topicPage(db, null, membersId)).toBe('signIn');

    expect(await setTopicVisibility(db, admin, membersId, true)).toEqual({ ok: false, problem: 'forbidden' });
    expect(await setTopicVisibility(db, editor, membersId, true)).toEqual({ ok: true });
    expect(await setTopicVisibility(db, editor, publicId, false)).toEqual({ ok: true });
    expect((await searchRows()).map((row) => [row.title, row.audience])).toEqual([['Public heat', 'signed_in'], ['Members heat', 'public']]);
    expect(await sitemapPaths()).toEqual(['dialogue/', `dialogue/${membersId}/`]);
    expect((await publicTopics(db)).map((topic) => topic.id)).toEqual([membersId]);
  });

  it('the named, the opener and the association answer; others do not; followers and the named hear of answers', async () => {
    const editor = await account('editor', 'editor@example.org');
    const temirtau = await town('temirtau');
    const ridder = await town('ridder');
    const opener = await account('town_admin', 'admin@temirtau.example.org', { townId: temirtau });
    const named = await account('member', 'ridder@example.org', { townId: ridder });
    const bystander = await account('member', 'other@example.org', { townId: await town('satpayev') });
    const partnerId = await approvedPartner();
    const partner = await account('partner', 'partner@example.org', { partnerId });
    const opened = await openTopic(db, notifier, opener, topicInput({ townIds: [ridder] }));
    const id = opened.ok ? opened.id : 0;
    expect((await notified(db, 'dialogue.named')).map((row) => row.userId)).toEqual([named.id]);

    expect(await answerTopic(db, notifier, bystander, id, 'I have an opinion')).toEqual({ ok: false, problem: 'forbidden' });
    expect(await answerTopic(db, notifier, partner, id, 'We could fund it')).toEqual({ ok: false, problem: 'forbidden' });
    expect(await answerTopic(db, notifier, named, id, 'Ridder did this in 2024.')).toMatchObject({ ok: true });
    expect(await answerTopic(db, notifier, editor, id, 'The association can help.')).toMatchObject({ ok: true });
    const replies = await notified(db, 'dialogue.reply_posted');
    expect(replies.filter((row) => row.params.name === 'ridder').map((row) => row.userId)).toEqual([opener.id]);
    expect(replies.filter((row) => row.params.name === 'editor').map((row) => row.userId).sort()).toEqual([opener.id, named.id].sort());
  });

  it('statuses: the opener moves it on, an ending needs an outcome kept in the history, only editors close, and an ended topic takes no answers', async () => {
    const editor = await account('editor', 'editor@example.org');
    const temirtau = await town('temirtau');
    const opener = await account('town_admin', 'admin@temirtau.example.org', { townId: temirtau });
    const follower = await account('member', 'follower@example.org', { townId: temirtau });
    const opened = await openTopic(db, notifier, opener, topicInput());
    const id = opened.ok ? opened.id : 0;
    await db.insertInto('dialogue_follows').values({ topic_id: id, user_id: follower.id }).execute();

    expect(await setTopicStatus(db, notifier, opener, id, 'under_discussion', null)).toEqual({ ok: true });
    expect(await setTopicStatus(db, notifier, opener, id, 'closed', 'done')).toEqual({ ok: false, problem: 'forbidden' });
    expect(await setTopicStatus(db, notifier, opener, id, 'agreed', null)).toEqual({ ok: false, problem: 'outcomeRequired' });
    expect(await setTopicStatus(db, notifier, opener, id, 'agreed', 'The plant pays for the first main.')).toEqual({ ok: true });
    expect(await answerTopic(db, notifier, opener, id, 'One more thing')).toEqual({ ok: false, problem: 'forbidden' });
    expect(await setTopicStatus(db, notifier, opener, id, 'declined', 'No')).toEqual({ ok: false, problem: 'forbidden' });
    expect(await setTopicStatus(db, notifier, editor, id, 'closed', 'Closed after the agreement was signed.')).toEqual({ ok: true });

    const page = await topicPage(db, follower, id);
    if (!page || page === 'signIn') throw new Error('the topic should be visible');
    expect(page.topic).toMatchObject({ status: 'closed', outcome: 'Closed after the agreement was signed.' });
    expect(page.events.map((event) => historyText(event.kind, event.params, 'en', event.actorName))).toEqual([
      'admin opened the topic',
      'admin set the status to “Under discussion”',
      'admin set the status to “Agreed”',
      'editor set the status to “Closed”',
    ]);
    for (const lang of LANGUAGES) expect(historyText('status_changed', '{"status":"agreed"}', lang, 'A')).not.toMatch(/agreed|\{|\}/);
    expect(historyText('status_changed', '{"status":"agreed"}', 'ru', 'А')).toBe('А установил(а) статус «Согласовано»');
    const statusNotes = await notified(db, 'dialogue.status_changed');
    expect(statusNotes.filter((row) => row.userId === follower.id).map((row) => row.params.status)).toEqual(['Under discussion', 'Agreed', 'Closed']);
  });

  it('an editor hides an answer naming a community rule: the author sees it with the reason and hears of it, others no longer see it', async () => {
    const editor = await account('editor', 'editor@example.org');
    const temirtau = await town('temirtau');
    const opener = await account('town_admin', 'admin@temirtau.example.org', { townId: temirtau });
    const reader = await account('member', 'reader@example.org', { townId: temirtau });
    const opened = await openTopic(db, notifier, opener, topicInput());
    const id = opened.ok ? opened.id : 0;
    const posted = await answerTopic(db, notifier, opener, id, 'Call me at +7 700 000 0000');
    const postId = posted.ok ? posted.id : 0;
    expect(await hidePost(db, notifier, opener, { postId, rule: 'personal-data', reason: 'Phone numbers stay private', clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'forbidden' });
    expect(await hidePost(db, notifier, editor, { postId, rule: 'personal-data', reason: 'Phone numbers stay private', clientAddress: ADDRESS })).toEqual({ ok: true, topicId: id });
    const forReader = await topicPage(db, reader, id);
    const forAuthor = await topicPage(db, opener, id);
    if (!forReader || forReader === 'signIn' || !forAuthor || forAuthor === 'signIn') throw new Error('the topic should be visible');
    expect(forReader.posts).toEqual([]);
    expect(forAuthor.posts).toMatchObject([{ id: postId, hidden: { rule: 'personal-data', reason: 'Phone numbers stay private' } }]);
    expect(historyText('post_hidden', forAuthor.events.at(-1)!.params, 'en', 'editor')).toBe('editor hid an answer under the rule “No personal data of residents”');
    expect((await notified(db, 'dialogue.post_hidden')).map((row) => row.userId)).toEqual([opener.id]);
    expect(await db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'dialogue.post_hidden').execute()).toEqual([{ action: 'dialogue.post_hidden', target_id: String(postId) }]);
  });
});
