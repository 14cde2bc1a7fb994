import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClock } from '~/lib/clock.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { isUniqueViolation } from '~/server/db/dialect.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { findPosition, listPublicPositions, participation, positionComments, positionStances, positionVersions, tallyStances } from '~/server/positions/positions.ts';
import { canReadComments } from '~/server/positions/rules.ts';
import type { PositionOutcome, PositionText } from '~/server/positions/types.ts';
import { adoptPosition, commentOnSection, createPosition, editDraft, openConsultation, recordStance, revisePosition } from '~/server/positions/workflows.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { notified, testNotifier } from '../helpers/notified.ts';

/**
 * Positions on a real database (SQLite and PostgreSQL): who may take each step (a role
 * table), one stance per town (a second administrator changes it; the unique constraint
 * holds), a closed consultation refusing stances and comments (with the clock the tests
 * set), revision keeping every version, adoption, notifications and search documents.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_800_000_000;
const DAY = 86_400;

type Who = 'visitor' | 'member' | 'townAdmin' | 'secondAdmin' | 'otherAdmin' | 'editor' | 'admin';
const users = {} as Record<Who, CurrentUser | null>;

async function town(slug: string, region: string): Promise<number> {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: slug, name_ru: slug, name_en: slug, region, population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function user(email: string, role: Role, townId: number | null, slug: string | null): Promise<CurrentUser> {
  const id = await insertUser(db, { email, passwordHash: 'not-a-real-hash', displayName: email.split('@')[0]!, role, townId, language: 'en' }, 1);
  return { id, email, displayName: email, role, language: 'en', disabled: false, town: townId === null ? null : { id: townId, slug: slug!, name: { kk: slug!, ru: slug!, en: slug! } } };
}

const TEXT: PositionText = {
  lang: 'en',
  title: 'Renew the towns\' heating networks',
  summary: 'A five-year transfer for each town\'s own plan.',
  sections: [
    { heading: 'The problem', body: 'Pipes are **old**.' },
    { heading: 'What we ask', body: 'A transfer by plan.' },
  ],
};

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  const temirtau = await town('temirtau', 'karaganda');
  const ridder = await town('ridder', 'east-kazakhstan');
  users.visitor = null;
  users.member = await user('member@example.org', 'member', temirtau, 'temirtau');
  users.townAdmin = await user('admin1@example.org', 'town_admin', temirtau, 'temirtau');
  users.secondAdmin = await user('admin2@example.org', 'town_admin', temirtau, 'temirtau');
  users.otherAdmin = await user('ridder-admin@example.org', 'town_admin', ridder, 'ridder');
  users.editor = await user('editor@example.org', 'editor', null, null);
  users.admin = await user('root@example.org', 'admin', null, null);
  setClock(NOW);
});

afterEach(async () => {
  setClock(null);
  await cleanup();
});

async function draft(): Promise<number> {
  const created = await createPosition(db, users.editor, { text: TEXT, topics: ['utilities-housing'] });
  if (!created.ok) throw new Error(created.problem);
  return created.id;
}

async function inConsultation(closesInDays = 30): Promise<number> {
  const id = await draft();
  const opened = await openConsultation(db, testNotifier(db), users.editor, { id, closesAt: NOW + closesInDays * DAY });
  expect(opened).toEqual({ ok: true });
  return id;
}

describe('who may take each step (role × action)', () => {
  type Action = 'comment' | 'stance' | 'draft' | 'open' | 'revise' | 'adopt';
  const ROLES: Who[] = ['visitor', 'member', 'townAdmin', 'editor', 'admin'];
  const allowed: Record<Action, Who[]> = {
    comment: ['member', 'townAdmin'],
    stance: ['townAdmin'],
    draft: ['editor', 'admin'],
    open: ['editor', 'admin'],
    revise: ['editor', 'admin'],
    adopt: ['editor', 'admin'],
  };
  const run: Record<Action, (actor: CurrentUser | null) => Promise<PositionOutcome>> = {
    comment: async (actor) => commentOnSection(db, actor, { id: await inConsultation(), version: 1, section: 0, body: 'A comment.' }),
    stance: async (actor) => recordStance(db, actor, { id: await inConsultation(), stance: 'support', reason: null }),
    draft: (actor) => createPosition(db, actor, { text: TEXT, topics: [] }),
    open: async (actor) => openConsultation(db, null, actor, { id: await draft(), closesAt: NOW + DAY }),
    revise: async (actor) => revisePosition(db, actor, { id: await inConsultation(), fromVersion: 1, text: { ...TEXT, title: 'Revised' }, topics: [], changeNote: 'Clearer.' }),
    adopt: async (actor) => adoptPosition(db, null, actor, { id: await inConsultation(), version: 1 }),
  };
  for (const action of Object.keys(allowed) as Action[]) {
    it.each(ROLES)(`${action}: %s`, async (who) => {
      const outcome = await run[action](users[who]);
      if (allowed[action].includes(who)) expect(outcome).toMatchObject({ ok: true });
      // A draft is not there for anyone but the editors, so opening one is "not found" to the others.
      else expect(outcome).toEqual({ ok: false, problem: action === 'open' ? 'notFound' : 'forbidden' });
    });
  }

  it('a disabled town administrator may do nothing', async () => {
    const id = await inConsultation();
    expect(await recordStance(db, { ...users.townAdmin!, disabled: true }, { id, stance: 'support', reason: null })).toEqual({ ok: false, problem: 'forbidden' });
  });

  it('a draft is, for anyone but the editors, a position that does not exist', async () => {
    const id = await draft();
    expect(await commentOnSection(db, users.member, { id, version: 1, section: 0, body: 'Peek' })).toEqual({ ok: false, problem: 'notFound' });
    expect(await recordStance(db, users.townAdmin, { id, stance: 'oppose', reason: null })).toEqual({ ok: false, problem: 'notFound' });
    expect(await editDraft(db, users.member, { id, text: TEXT, topics: [] })).toEqual({ ok: false, problem: 'notFound' });
    expect((await listPublicPositions(db)).consultation).toEqual([]);
  });

  it('only members and the association read the comments', () => {
    expect(canReadComments(null)).toBe(false);
    for (const who of ['member', 'townAdmin', 'editor', 'admin'] as const) expect(canReadComments(users[who])).toBe(true);
    // A role the rules do not name (partners, later) reads none.
    expect(canReadComments({ ...users.member!, role: 'partner' as Role })).toBe(false);
  });
});

describe('one town, one stance', () => {
  it('a second administrator of the same town changes the stance rather than adding one', async () => {
    const id = await inConsultation();
    expect(await recordStance(db, users.townAdmin, { id, stance: 'support', reason: null })).toEqual({ ok: true, changed: false });
    setClock(NOW + DAY);
    expect(await recordStance(db, users.secondAdmin, { id, stance: 'support_with_changes', reason: 'Add small towns.' })).toEqual({ ok: true, changed: true });
    const stances = await positionStances(db, id);
    expect(stances).toHaveLength(1);
    expect(stances[0]).toMatchObject({ stance: 'support_with_changes', reason: 'Add small towns.', updatedAt: NOW + DAY });
    const row = await db.selectFrom('position_stances').select(['recorded_by', 'created_at']).executeTakeFirstOrThrow();
    expect(row.recorded_by).toBe(users.secondAdmin!.id);
    expect(Number(row.created_at)).toBe(NOW);
  });

  it('the database refuses a second row for a town, and the violation is known by its code', async () => {
    const id = await inConsultation();
    const townId = users.townAdmin!.town!.id;
    const values = { position_id: id, town_id: townId, stance: 'support' as const, reason: null, version: 1, recorded_by: null, created_at: NOW, updated_at: NOW };
    await db.insertInto('position_stances').values(values).execute();
    const error = await db.insertInto('position_stances').values({ ...values, stance: 'oppose' }).execute().then(() => null, (caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('two towns each keep their own stance, and the tally counts them by region', async () => {
    const id = await inConsultation();
    await recordStance(db, users.townAdmin, { id, stance: 'support', reason: null });
    await recordStance(db, users.otherAdmin, { id, stance: 'oppose', reason: 'Keep the competitions.' });
    const tally = tallyStances(await positionStances(db, id));
    expect(tally.all).toEqual({ support: 1, support_with_changes: 0, oppose: 1, abstain: 0, total: 2 });
    expect(tally.byRegion.map((row) => [row.region, row.counts.total])).toEqual([['east-kazakhstan', 1], ['karaganda', 1]]);
  });

  it('a closed consultation refuses new stances, changes and comments', async () => {
    const id = await inConsultation(2);
    await recordStance(db, users.townAdmin, { id, stance: 'support', reason: null });
    setClock(NOW + 2 * DAY);
    expect(await recordStance(db, users.secondAdmin, { id, stance: 'oppose', reason: null })).toEqual({ ok: false, problem: 'closed' });
    expect(await recordStance(db, users.otherAdmin, { id, stance: 'support', reason: null })).toEqual({ ok: false, problem: 'closed' });
    expect(await commentOnSection(db, users.member, { id, version: 1, section: 0, body: 'Late.' })).toEqual({ ok: false, problem: 'closed' });
    expect((await positionStances(db, id)).map((stance) => stance.stance)).toEqual(['support']);
    // A second before the close it still took them.
    setClock(NOW + 2 * DAY - 1);
    expect(await recordStance(db, users.otherAdmin, { id, stance: 'abstain', reason: null })).toMatchObject({ ok: true });
  });

  it('a consultation cannot be opened with a date in the past', async () => {
    const id = await draft();
    expect(await openConsultation(db, null, users.editor, { id, closesAt: NOW })).toEqual({ ok: false, problem: 'closed' });
    expect((await findPosition(db, id))!.status).toBe('draft');
  });
});

describe('comments, revisions and adoption', () => {
  it('members comment per section; a comment names a section that exists, on the current version', async () => {
    const id = await inConsultation();
    expect(await commentOnSection(db, users.member, { id, version: 1, section: 1, body: 'Which plan?' })).toEqual({ ok: true });
    expect(await commentOnSection(db, users.member, { id, version: 1, section: 2, body: 'Nowhere' })).toEqual({ ok: false, problem: 'badSection' });
    expect(await commentOnSection(db, users.member, { id, version: 2, section: 0, body: 'Future' })).toEqual({ ok: false, problem: 'stale' });
    const comments = await positionComments(db, id);
    expect(comments).toMatchObject([{ section: 1, version: 1, body: 'Which plan?', authorName: 'member', townName: { en: 'temirtau' } }]);
  });

  it('a revision keeps every version, stances and comments; a stale revision changes nothing', async () => {
    const id = await inConsultation();
    await commentOnSection(db, users.member, { id, version: 1, section: 0, body: 'Say how old.' });
    await recordStance(db, users.townAdmin, { id, stance: 'support_with_changes', reason: null });
    const revised = await revisePosition(db, users.editor, { id, fromVersion: 1, text: { ...TEXT, sections: [{ heading: 'The problem', body: 'Pipes are 60% worn.' }, TEXT.sections[1]!] }, topics: ['utilities-housing'], changeNote: 'Figures added.', closesAt: NOW + 40 * DAY });
    expect(revised).toEqual({ ok: true, version: 2 });
    expect(await revisePosition(db, users.admin, { id, fromVersion: 1, text: TEXT, topics: [], changeNote: 'Late edit.' })).toEqual({ ok: false, problem: 'stale' });
    const versions = await positionVersions(db, id);
    expect(versions.map((version) => [version.version, version.changeNote])).toEqual([[1, null], [2, 'Figures added.']]);
    expect(versions[0]!.sections[0]!.body).toBe('Pipes are **old**.');
    const position = (await findPosition(db, id))!;
    expect(position).toMatchObject({ currentVersion: 2, closesAt: NOW + 40 * DAY });
    expect(position.text.sections[0]!.body).toBe('Pipes are 60% worn.');
    expect(await positionComments(db, id)).toHaveLength(1);
    expect(await positionStances(db, id)).toHaveLength(1);
  });

  it('adoption ends the consultation, counts the towns and tells the town administrators and commenters', async () => {
    const id = await inConsultation();
    await commentOnSection(db, users.member, { id, version: 1, section: 0, body: 'Good.' });
    await recordStance(db, users.townAdmin, { id, stance: 'support', reason: null });
    await recordStance(db, users.otherAdmin, { id, stance: 'support_with_changes', reason: null });
    setClock(NOW + 5 * DAY);
    expect(await adoptPosition(db, null, users.editor, { id, version: 2 })).toEqual({ ok: false, problem: 'stale' });
    expect(await adoptPosition(db, testNotifier(db), users.editor, { id, version: 1 })).toEqual({ ok: true });
    const position = (await findPosition(db, id))!;
    expect(position).toMatchObject({ status: 'adopted', adoptedAt: NOW + 5 * DAY, adoptedVersion: 1, closesAt: NOW + 5 * DAY });
    expect(await participation(db, id)).toEqual({ towns: 2, supported: 1, supportedWithChanges: 1 });
    expect(await recordStance(db, users.townAdmin, { id, stance: 'oppose', reason: null })).toEqual({ ok: false, problem: 'closed' });
    expect(await adoptPosition(db, null, users.editor, { id, version: 1 })).toEqual({ ok: false, problem: 'wrongState' });
    const told = await notified(db, 'positions.adopted');
    expect(new Set(told.map((row) => row.userId))).toEqual(new Set([users.townAdmin!.id, users.secondAdmin!.id, users.otherAdmin!.id, users.member!.id]));
    expect(told[0]).toMatchObject({ link: '/en/positions/renew-the-towns-heating-networks/', params: { title: TEXT.title } });
    expect((await listPublicPositions(db)).adopted.map((p) => p.id)).toEqual([id]);
  });

  it('opening tells every town administrator, with the closing date in their language', async () => {
    await inConsultation();
    const told = await notified(db, 'positions.consultation_opened');
    expect(told.map((row) => row.userId).sort()).toEqual([users.townAdmin!.id, users.secondAdmin!.id, users.otherAdmin!.id].sort());
    expect(String(told[0]!.params.closes)).toMatch(/2027/);
    expect((await db.selectFrom('email_outbox').select('subject').execute()).length).toBe(3);
  });
});

describe('search documents', () => {
  const documents = () => db.selectFrom('search_documents').selectAll().where('source', '=', 'positions').execute();

  it('a draft has none; a consultation and an adopted position one public document, kept in step with revisions', async () => {
    const id = await draft();
    expect(await documents()).toEqual([]);
    await openConsultation(db, null, users.editor, { id, closesAt: NOW + DAY });
    expect(await documents()).toMatchObject([{ key: `positions:${id}:en`, section: 'positions', audience: 'public', path: '/positions/renew-the-towns-heating-networks/', title: TEXT.title, topics: 'utilities-housing' }]);
    await revisePosition(db, users.editor, { id, fromVersion: 1, text: { ...TEXT, lang: 'ru', title: 'Обновить сети' }, topics: [], changeNote: 'В русском переводе.' });
    expect((await documents()).map((row) => [row.key, row.title])).toEqual([[`positions:${id}:ru`, 'Обновить сети']]);
    expect((await documents())[0]!.body).not.toContain('**');
    await adoptPosition(db, null, users.editor, { id, version: 2 });
    expect(await documents()).toHaveLength(1);
  });

  it('comments never reach search', async () => {
    const id = await inConsultation();
    await commentOnSection(db, users.member, { id, version: 1, section: 0, body: 'members-only-words' });
    expect((await documents()).some((row) => row.body.includes('members-only-words'))).toBe(false);
  });
});
