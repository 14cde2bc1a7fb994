import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { PartnerKind } from '~/lib/dialogue/catalogue.ts';
import * as queue from '~/server/applications/queue.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';

/**
 * Partner organisations (companies, business associations, investors, development
 * agencies, government bodies) apply through the editors' application queue, as towns do
 * (src/server/applications/queue.ts). What is a partner's own is here: its fields, and
 * that approval invites the contact to an account with the role `partner`. The
 * application row is the partner once approved.
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
export function applyAsPartner(db: Kysely<Database>, notifier: Notifier, input: PartnerApplicationInput, clientAddress: string): Promise<queue.SubmitOutcome> {
  const own = { name: input.name, kind: input.kind, registration_number: input.registrationNumber, sector: input.sector, regions: JSON.stringify(input.regions) };
  return queue.applyToQueue(db, notifier, 'partner', { own, name: input.name, applicant: input }, clientAddress);
}

/** Partner applications with a status, oldest first. */
export function listPartners(db: Kysely<Database>, status: queue.ApplicationStatus) {
  return queue.listApplications(db, 'partner', status);
}

/** One partner or application, or undefined. */
export function findPartner(db: Kysely<Database>, id: number) {
  return queue.findApplication(db, 'partner', id);
}

/** Approved partners by name, for naming them on a dialogue topic. */
export function approvedPartnerChoices(db: Kysely<Database>) {
  return db.selectFrom('partners').select(['id', 'name']).where('status', '=', 'approved').orderBy('name').execute();
}

export type PartnerDecisionProblem = queue.QueueProblem;

/** Approving a partner writes nothing of its own: the row becomes the partner, and its contact is invited into it. */
const ADMIT_PARTNER: queue.ApprovalOfKind<'partner', never, null> = {
  admit: async () => ({ admitted: null }),
  invitation: (partner) => ({ role: 'partner', townId: null, partnerId: partner.id }),
};

/** Approves a pending application and invites its contact to a partner account. */
export function approvePartner(
  db: Kysely<Database>,
  notifier: Notifier,
  decision: { partnerId: number; editorId: string; clientAddress: string },
): Promise<queue.DecisionOutcome> {
  const { partnerId, ...decider } = decision;
  return queue.approveApplication(db, notifier.mailer, 'partner', { ...decider, applicationId: partnerId, baseUrl: notifier.baseUrl }, ADMIT_PARTNER);
}

/** Rejects a pending application and tells the contact why. */
export function rejectPartner(
  db: Kysely<Database>,
  notifier: Notifier,
  decision: { partnerId: number; editorId: string; reason: string; clientAddress: string },
): Promise<queue.DecisionOutcome> {
  const { partnerId, ...decider } = decision;
  return queue.rejectApplication(db, notifier.mailer, 'partner', { ...decider, applicationId: partnerId });
}
