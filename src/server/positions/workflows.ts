import type { Kysely, Transaction } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { formatDate } from '~/lib/format.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { isUniqueViolation } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';
import { slugify } from '~/server/membership/applications.ts';
import { notifyEach, type Notifier } from '~/server/notifications/notifications.ts';
import { localizedParams } from '~/server/notifications/render.ts';
import { findPosition } from './positions.ts';
import { canAdopt, canComment, canEditDraft, canOpenConsultation, canRecordStance, canRevise, canRunPositions, isCommenter, isStanceTaker } from './rules.ts';
import { syncPositionSearch } from './search.ts';
import type { Position, PositionOutcome, PositionStanceValue, PositionText } from './types.ts';

// Every step on a position: check the rule, write (one transaction, the search document
// with it), then tell people and audit. A data test takes each step without HTTP.

/** Longest comment or stance reason, in characters. */
export const POSITION_COMMENT_MAX = 5000;

type Db = Kysely<Database>;

/** Refused: "not found" for a draft a non-editor asks about (as if it did not exist), otherwise forbidden. */
function refusal(actor: CurrentUser | null, position: Position | undefined): PositionOutcome<never> {
  if (!position || (position.status === 'draft' && !canRunPositions(actor))) return { ok: false, problem: 'notFound' };
  return { ok: false, problem: canRunPositions(actor) ? 'wrongState' : 'forbidden' };
}

async function freeSlug(db: Db, title: string): Promise<string> {
  const stem = slugify(title).split('-').filter((word) => word !== '').slice(0, 8).join('-') || 'position';
  const taken = new Set((await db.selectFrom('positions').select('slug').where('slug', 'like', `${stem}%`).execute()).map((row) => row.slug));
  let slug = stem;
  for (let n = 2; taken.has(slug); n += 1) slug = `${stem}-${n}`;
  return slug;
}

async function insertVersion(db: Db, positionId: number, version: number, text: PositionText, changeNote: string | null, actorId: string, now: number): Promise<void> {
  await db
    .insertInto('position_versions')
    .values({ position_id: positionId, version, lang: text.lang, title: text.title, summary: text.summary, sections: JSON.stringify(text.sections), change_note: changeNote, created_by: actorId, created_at: now })
    .execute();
}

/** An editor starts a draft position. */
export async function createPosition(db: Db, actor: CurrentUser | null, input: { text: PositionText; topics: string[] }, now = clock.now()): Promise<PositionOutcome<{ id: number; slug: string }>> {
  if (!canRunPositions(actor)) return { ok: false, problem: 'forbidden' };
  return db.transaction().execute(async (trx) => {
    const slug = await freeSlug(trx, input.text.title);
    const row = await trx
      .insertInto('positions')
      .values({ slug, status: 'draft', current_version: 1, topics: JSON.stringify(input.topics), opened_at: null, closes_at: null, adopted_at: null, adopted_version: null, created_by: actor!.id, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertVersion(trx, row.id, 1, input.text, null, actor!.id, now);
    return { ok: true, id: row.id, slug };
  });
}

/** An editor changes a draft's text in place: nobody outside the editors has read it. */
export async function editDraft(db: Db, actor: CurrentUser | null, input: { id: number; text: PositionText; topics: string[] }, now = clock.now()): Promise<PositionOutcome> {
  return db.transaction().execute(async (trx) => {
    const position = await findPosition(trx, input.id);
    if (!position || !canEditDraft(actor, position)) return refusal(actor, position);
    await trx
      .updateTable('position_versions')
      .set({ lang: input.text.lang, title: input.text.title, summary: input.text.summary, sections: JSON.stringify(input.text.sections) })
      .where('position_id', '=', input.id)
      .where('version', '=', position.currentVersion)
      .execute();
    await trx.updateTable('positions').set({ topics: JSON.stringify(input.topics), updated_at: now }).where('id', '=', input.id).execute();
    return { ok: true };
  });
}

/** The active town administrators, who speak for their towns. */
async function townAdministratorIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('role', '=', 'town_admin').where('town_id', 'is not', null).where('disabled_at', 'is', null).execute();
  return rows.map((row) => row.id);
}

/**
 * An editor opens a draft for consultation until `closesAt` (UTC seconds, later than
 * now): it becomes public and searchable, and every town administrator is told.
 */
export async function openConsultation(
  db: Db,
  notifier: Notifier | null,
  actor: CurrentUser | null,
  input: { id: number; closesAt: number; clientAddress?: string },
  now = clock.now(),
): Promise<PositionOutcome> {
  const outcome = await db.transaction().execute(async (trx): Promise<PositionOutcome<{ position: Position }>> => {
    const found = await findPosition(trx, input.id);
    if (!found || !canOpenConsultation(actor, found)) return refusal(actor, found);
    if (input.closesAt <= now) return { ok: false, problem: 'closed' };
    await trx.updateTable('positions').set({ status: 'consultation', opened_at: now, closes_at: input.closesAt, updated_at: now }).where('id', '=', input.id).execute();
    const position = (await findPosition(trx, input.id))!;
    await syncPositionSearch(trx, position);
    return { ok: true, position };
  });
  if (!outcome.ok) return outcome;
  const { position } = outcome;
  if (notifier) {
    const params = localizedParams((lang) => ({ title: position.text.title, closes: formatDate(new Date(input.closesAt * 1000), lang) }));
    await notifyEach(db, notifier, await townAdministratorIds(db), { kind: 'positions.consultation_opened', params, link: `positions/${position.slug}/` }, actor!.id);
  }
  await recordAudit(db, { actorId: actor!.id, action: 'position.opened', target: { type: 'position', id: String(position.id) }, clientAddress: input.clientAddress ?? null, details: { closesAt: input.closesAt } });
  return { ok: true };
}

/**
 * An editor publishes a revised version during the consultation: the new text becomes
 * current, the old one is kept, and comments stay with the version they were written
 * on. `fromVersion` is the version the editor revised; another editor's revision in
 * between makes it stale. A new `closesAt` (later than now) extends the consultation.
 */
export async function revisePosition(
  db: Db,
  actor: CurrentUser | null,
  input: { id: number; fromVersion: number; text: PositionText; topics: string[]; changeNote: string; closesAt?: number | undefined; clientAddress?: string },
  now = clock.now(),
): Promise<PositionOutcome<{ version: number }>> {
  const outcome = await db.transaction().execute(async (trx): Promise<PositionOutcome<{ version: number }>> => {
    const found = await findPosition(trx, input.id);
    if (!found || !canRevise(actor, found)) return refusal(actor, found);
    if (found.currentVersion !== input.fromVersion) return { ok: false, problem: 'stale' };
    if (input.closesAt !== undefined && input.closesAt <= now) return { ok: false, problem: 'closed' };
    const version = found.currentVersion + 1;
    await insertVersion(trx, input.id, version, input.text, input.changeNote, actor!.id, now);
    await trx
      .updateTable('positions')
      .set({ current_version: version, topics: JSON.stringify(input.topics), updated_at: now, ...(input.closesAt !== undefined ? { closes_at: input.closesAt } : {}) })
      .where('id', '=', input.id)
      .execute();
    await syncPositionSearch(trx, (await findPosition(trx, input.id))!);
    return { ok: true, version };
  });
  if (outcome.ok) await recordAudit(db, { actorId: actor!.id, action: 'position.revised', target: { type: 'position', id: String(input.id) }, clientAddress: input.clientAddress ?? null, details: { version: outcome.version } });
  return outcome;
}

/** Who hears that a position was adopted: the town administrators and everyone who commented on it. */
async function adoptionAudience(db: Db, positionId: number): Promise<string[]> {
  const commenters = await db.selectFrom('position_comments').select('author_id').distinct().where('position_id', '=', positionId).execute();
  return [...(await townAdministratorIds(db)), ...commenters.flatMap((row) => (row.author_id ? [row.author_id] : []))];
}

/**
 * An editor adopts the version they read (`version` must still be current): the
 * consultation ends (no more stances or comments), the adopted text is what the public
 * page shows, and the town administrators and the commenters are told.
 */
export async function adoptPosition(db: Db, notifier: Notifier | null, actor: CurrentUser | null, input: { id: number; version: number; clientAddress?: string }, now = clock.now()): Promise<PositionOutcome> {
  const outcome = await db.transaction().execute(async (trx): Promise<PositionOutcome<{ position: Position }>> => {
    const found = await findPosition(trx, input.id);
    if (!found || !canAdopt(actor, found)) return refusal(actor, found);
    if (found.currentVersion !== input.version) return { ok: false, problem: 'stale' };
    // The consultation ends now if its date is still ahead.
    const closesAt = found.closesAt !== null && found.closesAt < now ? found.closesAt : now;
    await trx.updateTable('positions').set({ status: 'adopted', adopted_at: now, adopted_version: found.currentVersion, closes_at: closesAt, updated_at: now }).where('id', '=', input.id).execute();
    const position = (await findPosition(trx, input.id))!;
    await syncPositionSearch(trx, position);
    return { ok: true, position };
  });
  if (!outcome.ok) return outcome;
  const { position } = outcome;
  if (notifier) await notifyEach(db, notifier, await adoptionAudience(db, position.id), { kind: 'positions.adopted', params: { title: position.text.title }, link: `positions/${position.slug}/` }, actor!.id);
  await recordAudit(db, { actorId: actor!.id, action: 'position.adopted', target: { type: 'position', id: String(position.id) }, clientAddress: input.clientAddress ?? null, details: { version: position.currentVersion } });
  return { ok: true };
}

/** Refusal of a town's step: closed when the user could take it but the consultation is not open. */
function townRefusal(actor: CurrentUser | null, position: Position | undefined, may: (user: CurrentUser | null) => boolean): PositionOutcome<never> {
  if (!position || position.status === 'draft') return { ok: false, problem: 'notFound' };
  return { ok: false, problem: may(actor) ? 'closed' : 'forbidden' };
}

async function writeStance(trx: Transaction<Database>, actor: CurrentUser & { town: NonNullable<CurrentUser['town']> }, position: Position, input: { stance: PositionStanceValue; reason: string | null }, now: number): Promise<void> {
  const existing = await trx.selectFrom('position_stances').select('id').where('position_id', '=', position.id).where('town_id', '=', actor.town.id).executeTakeFirst();
  const values = { stance: input.stance, reason: input.reason, version: position.currentVersion, recorded_by: actor.id, updated_at: now };
  if (existing) {
    await trx.updateTable('position_stances').set(values).where('id', '=', existing.id).execute();
  } else {
    await trx.insertInto('position_stances').values({ ...values, position_id: position.id, town_id: actor.town.id, created_at: now }).execute();
  }
}

/**
 * A town's administrator records the town's stance, or changes it, while the
 * consultation is open. One town, one stance: the unique (position, town) constraint
 * holds it; should two administrators' first stances meet, the one that loses the
 * insert (a unique violation, known by its code) is written again as a change.
 */
export async function recordStance(db: Db, actor: CurrentUser | null, input: { id: number; stance: PositionStanceValue; reason: string | null }, now = clock.now()): Promise<PositionOutcome<{ changed: boolean }>> {
  const attempt = () =>
    db.transaction().execute(async (trx): Promise<PositionOutcome<{ changed: boolean }>> => {
      const position = await findPosition(trx, input.id);
      if (!position || !canRecordStance(actor, position, now) || !isStanceTaker(actor)) return townRefusal(actor, position, isStanceTaker);
      const before = await trx.selectFrom('position_stances').select('id').where('position_id', '=', position.id).where('town_id', '=', actor.town.id).executeTakeFirst();
      await writeStance(trx, actor, position, input, now);
      return { ok: true, changed: before !== undefined };
    });
  try {
    return await attempt();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return attempt();
  }
}

/** A member town's member or administrator comments on one section of the current version while the consultation is open. */
export async function commentOnSection(db: Db, actor: CurrentUser | null, input: { id: number; version: number; section: number; body: string }, now = clock.now()): Promise<PositionOutcome> {
  return db.transaction().execute(async (trx) => {
    const position = await findPosition(trx, input.id);
    if (!position || !canComment(actor, position, now) || !isCommenter(actor)) return townRefusal(actor, position, isCommenter);
    if (input.version !== position.currentVersion) return { ok: false, problem: 'stale' };
    if (!Number.isInteger(input.section) || input.section < 0 || input.section >= position.text.sections.length) return { ok: false, problem: 'badSection' };
    await trx
      .insertInto('position_comments')
      .values({ position_id: position.id, version: input.version, section: input.section, author_id: actor.id, town_id: actor.town.id, body: input.body, created_at: now })
      .execute();
    return { ok: true };
  });
}
