import type { Kysely } from 'kysely';
import { createTranslator, type Language } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import { normalizeEmail } from '~/server/accounts/users.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import { isUniqueViolation } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import { notifyEach, reviewerIds, type Notifier } from '~/server/notifications/notifications.ts';
import { consumeRateLimit, type RateLimitRule } from '~/server/rate-limit.ts';
import { recordChange } from '~/server/cache/changes.ts';
import { sendInvitation } from './invitations.ts';
import { syncTown } from '~/server/search/sources/towns.ts';

/** Applications one client address may send in a day. */
export const APPLICATIONS_PER_ADDRESS: RateLimitRule = { limit: 5, windowSeconds: 24 * 60 * 60 };

/** What a town sends to join. */
export interface ApplicationInput {
  townName: string;
  region: string;
  population: number | null;
  mainIndustry: string;
  contactName: string;
  email: string;
  phone: string;
  motivation: string;
  language: Language;
}

/**
 * Stores an application as pending and confirms receipt to the applicant. One
 * pending application per email: a second is refused as a duplicate.
 */
export async function submitApplication(
  db: Kysely<Database>,
  mailer: Mailer,
  input: ApplicationInput,
  clientAddress: string,
): Promise<'submitted' | 'duplicate' | 'throttled'> {
  const limit = await consumeRateLimit(db, `application:address:${clientAddress}`, APPLICATIONS_PER_ADDRESS);
  if (!limit.allowed) return 'throttled';
  const email = normalizeEmail(input.email);
  const pending = await db.selectFrom('membership_applications').select('id').where('email', '=', email).where('status', '=', 'pending').executeTakeFirst();
  if (pending) return 'duplicate';
  try {
    await db
      .insertInto('membership_applications')
      .values({
        town_name: input.townName,
        region: input.region,
        population: input.population,
        main_industry: input.mainIndustry,
        contact_name: input.contactName,
        email,
        phone: input.phone,
        motivation: input.motivation,
        language: input.language,
        status: 'pending',
        decision_reason: null,
        town_id: null,
        decided_by: null,
        decided_at: null,
        created_at: clock.now(),
      })
      .execute();
  } catch (error) {
    // The unique index on pending applications: a duplicate sent at the same moment.
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
  const t = createTranslator(input.language);
  await mailer.send({
    to: email,
    language: input.language,
    subject: t('email.applicationReceived.subject'),
    text: t('email.applicationReceived.body', { name: input.contactName, town: input.townName }),
  });
  return 'submitted';
}

/**
 * A town applies to join (see submitApplication); when the application is stored,
 * every editor and administrator hears of it.
 */
export async function applyForMembership(db: Kysely<Database>, notifier: Notifier, input: ApplicationInput, clientAddress: string): Promise<'submitted' | 'duplicate' | 'throttled'> {
  const outcome = await submitApplication(db, notifier.mailer, input, clientAddress);
  if (outcome === 'submitted') {
    await notifyEach(db, notifier, await reviewerIds(db), { kind: 'membership.application_received', params: { town: input.townName }, link: 'editor/applications/' });
  }
  return outcome;
}

/** Applications with a status, oldest first (the queue order). */
export function listApplications(db: Kysely<Database>, status: 'pending' | 'approved' | 'rejected') {
  return db.selectFrom('membership_applications').selectAll().where('status', '=', status).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
}

/** One application, or undefined. */
export function findApplication(db: Kysely<Database>, id: number) {
  return db.selectFrom('membership_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Member towns to link an application to, by name in a language. */
export function townChoices(db: Kysely<Database>) {
  return db.selectFrom('towns').select(['id', 'slug', 'name_kk', 'name_ru', 'name_en']).orderBy('name_en').execute();
}

/** Kazakh and Russian Cyrillic to Latin, for URL slugs (of new towns, of member cases). */
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', і: 'i',
  к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u',
  ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

export function slugify(name: string): string {
  const latin = [...name.toLowerCase()]
    .map((character) => CYRILLIC_TO_LATIN[character] ?? character)
    .join('')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return latin || 'town';
}

/** Why a decision could not be made. */
export type DecisionProblem = 'notFound' | 'alreadyDecided' | 'emailHasAccount' | 'unknownTown';

/**
 * Approves a pending application: links an existing town or creates one from the
 * application, and invites the contact to become the town's administrator.
 */
export async function approveApplication(
  db: Kysely<Database>,
  mailer: Mailer,
  decision: { applicationId: number; editorId: string; existingTownId: number | null; baseUrl: string; clientAddress: string },
): Promise<{ ok: true } | { ok: false; problem: DecisionProblem }> {
  const application = await findApplication(db, decision.applicationId);
  if (!application) return { ok: false, problem: 'notFound' };
  if (application.status !== 'pending') return { ok: false, problem: 'alreadyDecided' };
  if (await db.selectFrom('users').select('id').where('email', '=', application.email).executeTakeFirst()) return { ok: false, problem: 'emailHasAccount' };
  const now = clock.now();
  const townId = await db.transaction().execute(async (trx) => {
    const stillPending = await trx.selectFrom('membership_applications').select('status').where('id', '=', application.id).executeTakeFirstOrThrow();
    if (stillPending.status !== 'pending') return 'alreadyDecided' as const;
    let id = decision.existingTownId;
    if (id !== null) {
      if (!(await trx.selectFrom('towns').select('id').where('id', '=', id).executeTakeFirst())) return 'unknownTown' as const;
    } else {
      const base = slugify(application.town_name);
      const taken = new Set((await trx.selectFrom('towns').select('slug').where('slug', 'like', `${base}%`).execute()).map((row) => row.slug));
      let slug = base;
      for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
      const created = await trx
        .insertInto('towns')
        .values({
          slug,
          name_kk: application.town_name,
          name_ru: application.town_name,
          name_en: application.town_name,
          region: application.region,
          population: application.population,
          main_industry: application.main_industry,
          founding_enterprise_kk: null,
          founding_enterprise_ru: null,
          founding_enterprise_en: null,
          economic_potential: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = created.id;
    }
    await trx
      .updateTable('membership_applications')
      .set({ status: 'approved', town_id: id, decided_by: decision.editorId, decided_at: now })
      .where('id', '=', application.id)
      .execute();
    if (decision.existingTownId === null) {
      await syncTown(trx, id);
      await recordChange(trx, 'towns');
    }
    return id;
  });
  if (typeof townId === 'string') return { ok: false, problem: townId };
  await recordAudit(db, { actorId: decision.editorId, action: 'application.approved', target: { type: 'application', id: String(application.id) }, clientAddress: decision.clientAddress, details: { townId } });
  await sendInvitation(db, mailer, {
    email: application.email,
    name: application.contact_name,
    role: 'town_admin',
    townId,
    language: application.language,
    invitedBy: decision.editorId,
    baseUrl: decision.baseUrl,
    clientAddress: decision.clientAddress,
  });
  return { ok: true };
}

/** Rejects a pending application and tells the applicant why. */
export async function rejectApplication(
  db: Kysely<Database>,
  mailer: Mailer,
  decision: { applicationId: number; editorId: string; reason: string; clientAddress: string },
): Promise<{ ok: true } | { ok: false; problem: DecisionProblem }> {
  const application = await findApplication(db, decision.applicationId);
  if (!application) return { ok: false, problem: 'notFound' };
  const updated = await db
    .updateTable('membership_applications')
    .set({ status: 'rejected', decision_reason: decision.reason, decided_by: decision.editorId, decided_at: clock.now() })
    .where('id', '=', application.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'alreadyDecided' };
  const t = createTranslator(application.language);
  await mailer.send({
    to: application.email,
    language: application.language,
    subject: t('email.applicationRejected.subject'),
    text: t('email.applicationRejected.body', { name: application.contact_name, town: application.town_name, reason: decision.reason }),
  });
  await recordAudit(db, { actorId: decision.editorId, action: 'application.rejected', target: { type: 'application', id: String(application.id) }, clientAddress: decision.clientAddress });
  return { ok: true };
}
