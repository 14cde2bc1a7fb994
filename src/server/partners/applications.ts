import type { Kysely } from 'kysely';
import { createTranslator, type Language } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import type { PartnerKind } from '~/lib/dialogue/catalogue.ts';
import { normalizeEmail } from '~/server/accounts/users.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import { isUniqueViolation } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';
import { APPLICATIONS_PER_ADDRESS } from '~/server/membership/applications.ts';
import { sendInvitation } from '~/server/membership/invitations.ts';
import { notifyEach, reviewerIds, type Notifier } from '~/server/notifications/notifications.ts';
import { consumeRateLimit } from '~/server/rate-limit.ts';

/**
 * Partner organisations (companies, business associations, investors, development
 * agencies, government bodies) apply as towns do (src/server/membership/applications.ts):
 * editors approve or reject with a reason; approval invites the contact to an account
 * with the role `partner`. The application row is the partner once approved.
 */

/** What an organisation sends to become a partner. */
export interface PartnerApplicationInput {
  name: string;
  kind: PartnerKind;
  registrationNumber: string;
  sector: string;
  regions: readonly string[];
  contactName: string;
  email: string;
  phone: string;
  motivation: string;
  language: Language;
}

/** Stores the application, confirms receipt to the contact, and tells the reviewers. One pending application per email. */
export async function applyAsPartner(db: Kysely<Database>, notifier: Notifier, input: PartnerApplicationInput, clientAddress: string): Promise<'submitted' | 'duplicate' | 'throttled'> {
  // The same daily allowance per address as towns' applications, counted apart.
  const limit = await consumeRateLimit(db, `partner-application:address:${clientAddress}`, APPLICATIONS_PER_ADDRESS);
  if (!limit.allowed) return 'throttled';
  const email = normalizeEmail(input.email);
  if (await db.selectFrom('partners').select('id').where('email', '=', email).where('status', '=', 'pending').executeTakeFirst()) return 'duplicate';
  try {
    await db
      .insertInto('partners')
      .values({
        name: input.name,
        kind: input.kind,
        registration_number: input.registrationNumber,
        sector: input.sector,
        regions: JSON.stringify(input.regions),
        contact_name: input.contactName,
        email,
        phone: input.phone,
        motivation: input.motivation,
        language: input.language,
        status: 'pending',
        decision_reason: null,
        decided_by: null,
        decided_at: null,
        created_at: clock.now(),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
  const t = createTranslator(input.language);
  await notifier.mailer.send({
    to: email,
    language: input.language,
    subject: t('partners.email.received.subject'),
    text: t('partners.email.received.body', { name: input.contactName, partner: input.name }),
  });
  await notifyEach(db, notifier, await reviewerIds(db), { kind: 'partners.application_received', params: { partner: input.name }, link: 'editor/partners/' });
  return 'submitted';
}

/** Partner applications with a status, oldest first. */
export function listPartners(db: Kysely<Database>, status: 'pending' | 'approved' | 'rejected') {
  return db.selectFrom('partners').selectAll().where('status', '=', status).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
}

/** One partner or application, or undefined. */
export function findPartner(db: Kysely<Database>, id: number) {
  return db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Approved partners by name, for naming them on a dialogue topic. */
export function approvedPartnerChoices(db: Kysely<Database>) {
  return db.selectFrom('partners').select(['id', 'name']).where('status', '=', 'approved').orderBy('name').execute();
}

export type PartnerDecisionProblem = 'notFound' | 'alreadyDecided' | 'emailHasAccount';

/** Approves a pending application and invites its contact to a partner account. */
export async function approvePartner(
  db: Kysely<Database>,
  notifier: Notifier,
  decision: { partnerId: number; editorId: string; clientAddress: string },
): Promise<{ ok: true } | { ok: false; problem: PartnerDecisionProblem }> {
  const partner = await findPartner(db, decision.partnerId);
  if (!partner) return { ok: false, problem: 'notFound' };
  if (partner.status !== 'pending') return { ok: false, problem: 'alreadyDecided' };
  if (await db.selectFrom('users').select('id').where('email', '=', partner.email).executeTakeFirst()) return { ok: false, problem: 'emailHasAccount' };
  const updated = await db
    .updateTable('partners')
    .set({ status: 'approved', decided_by: decision.editorId, decided_at: clock.now() })
    .where('id', '=', partner.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'alreadyDecided' };
  await recordAudit(db, { actorId: decision.editorId, action: 'partner.approved', target: { type: 'partner', id: String(partner.id) }, clientAddress: decision.clientAddress });
  await sendInvitation(db, notifier.mailer, {
    email: partner.email,
    name: partner.contact_name,
    role: 'partner',
    townId: null,
    partnerId: partner.id,
    language: partner.language,
    invitedBy: decision.editorId,
    baseUrl: notifier.baseUrl,
    clientAddress: decision.clientAddress,
  });
  return { ok: true };
}

/** Rejects a pending application and tells the contact why. */
export async function rejectPartner(
  db: Kysely<Database>,
  notifier: Notifier,
  decision: { partnerId: number; editorId: string; reason: string; clientAddress: string },
): Promise<{ ok: true } | { ok: false; problem: PartnerDecisionProblem }> {
  const partner = await findPartner(db, decision.partnerId);
  if (!partner) return { ok: false, problem: 'notFound' };
  const updated = await db
    .updateTable('partners')
    .set({ status: 'rejected', decision_reason: decision.reason, decided_by: decision.editorId, decided_at: clock.now() })
    .where('id', '=', partner.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'alreadyDecided' };
  const t = createTranslator(partner.language);
  await notifier.mailer.send({
    to: partner.email,
    language: partner.language,
    subject: t('partners.email.rejected.subject'),
    text: t('partners.email.rejected.body', { name: partner.contact_name, partner: partner.name, reason: decision.reason }),
  });
  await recordAudit(db, { actorId: decision.editorId, action: 'partner.rejected', target: { type: 'partner', id: String(partner.id) }, clientAddress: decision.clientAddress });
  return { ok: true };
}
