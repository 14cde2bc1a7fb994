import type { Kysely, Transaction } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import * as queue from '~/server/applications/queue.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { recordChange } from '~/server/cache/changes.ts';
import { syncTown } from '~/server/search/sources/towns.ts';

/**
 * Towns apply to join through the editors' application queue
 * (src/server/applications/queue.ts); what is a town's own is here: its fields, and that
 * approving links an existing town or creates one from the application.
 */

export { APPLICATIONS_PER_ADDRESS } from '~/server/applications/queue.ts';

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

/** The queue's view of a town's application: its own columns, its name, and what every applicant writes. */
function queued(input: ApplicationInput) {
  return {
    own: { town_name: input.townName, region: input.region, population: input.population, main_industry: input.mainIndustry, town_id: null },
    name: input.townName,
    applicant: input,
  };
}

/**
 * Stores an application as pending and confirms receipt to the applicant. One
 * pending application per email: a second is refused as a duplicate.
 */
export function submitApplication(db: Kysely<Database>, mailer: Mailer, input: ApplicationInput, clientAddress: string): Promise<queue.SubmitOutcome> {
  return queue.submitApplication(db, mailer, 'town', queued(input), clientAddress);
}

/**
 * A town applies to join (see submitApplication); when the application is stored,
 * every editor and administrator hears of it.
 */
export function applyForMembership(db: Kysely<Database>, notifier: Notifier, input: ApplicationInput, clientAddress: string): Promise<queue.SubmitOutcome> {
  return queue.applyToQueue(db, notifier, 'town', queued(input), clientAddress);
}

/** Applications with a status, oldest first (the queue order). */
export function listApplications(db: Kysely<Database>, status: queue.ApplicationStatus) {
  return queue.listApplications(db, 'town', status);
}

/** One application, or undefined. */
export function findApplication(db: Kysely<Database>, id: number) {
  return queue.findApplication(db, 'town', id);
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
export type DecisionProblem = queue.QueueProblem | 'unknownTown';

/** A new town's slug: the name's, numbered when taken. */
async function freeSlug(trx: Transaction<Database>, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set((await trx.selectFrom('towns').select('slug').where('slug', 'like', `${base}%`).execute()).map((row) => row.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
  return slug;
}

/** Admitting a town: linking the existing one named, or creating it from the application. */
function admitTown(existingTownId: number | null): queue.ApprovalOfKind<'town', 'unknownTown', number> {
  const created = existingTownId === null;
  return {
    async admit(trx, application) {
      if (!created) {
        const known = await trx.selectFrom('towns').select('id').where('id', '=', existingTownId).executeTakeFirst();
        return known ? { admitted: known.id } : { problem: 'unknownTown' };
      }
      const now = clock.now();
      const town = await trx
        .insertInto('towns')
        .values({
          slug: await freeSlug(trx, application.town_name),
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
      await syncTown(trx, town.id);
      await recordChange(trx, 'towns');
      return { admitted: town.id };
    },
    columns: (townId) => ({ town_id: townId }),
    details: (townId) => ({ townId }),
    invitation: (_application, townId) => ({ role: 'town_admin', townId }),
  };
}

/**
 * Approves a pending application: links an existing town or creates one from the
 * application, and invites the contact to become the town's administrator.
 */
export function approveApplication(
  db: Kysely<Database>,
  mailer: Mailer,
  decision: { applicationId: number; editorId: string; existingTownId: number | null; baseUrl: string; clientAddress: string },
): Promise<queue.DecisionOutcome<DecisionProblem>> {
  return queue.approveApplication(db, mailer, 'town', decision, admitTown(decision.existingTownId));
}

/** Rejects a pending application and tells the applicant why. */
export function rejectApplication(
  db: Kysely<Database>,
  mailer: Mailer,
  decision: { applicationId: number; editorId: string; reason: string; clientAddress: string },
): Promise<queue.DecisionOutcome<DecisionProblem>> {
  return queue.rejectApplication(db, mailer, 'town', decision);
}
