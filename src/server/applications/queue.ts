import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { createTranslator, type Language, type MessageKey } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import { normalizeEmail } from '~/server/accounts/users.ts';
import { recordAudit, type AuditEntry } from '~/server/audit/audit.ts';
import { isUniqueViolation } from '~/server/db/dialect.ts';
import type { Database, MembershipApplicationTable } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import { sendInvitation } from '~/server/membership/invitations.ts';
import type { NotificationKind } from '~/server/notifications/kinds.ts';
import { notifyEach, reviewerIds, type Notifier } from '~/server/notifications/notifications.ts';
import { consumeRateLimit, type RateLimitRule } from '~/server/rate-limit.ts';

/**
 * The editors' one application queue, for both kinds of applicant: a town asking to join
 * (src/server/membership/applications.ts) and an organisation asking to be a partner
 * (src/server/partners/applications.ts). Here is what the kinds share: submitting
 * (throttled, one pending application per email, a receipt mailed, reviewers told), the
 * queue by status with its counts, and deciding once, with a reason to a rejection.
 * Each kind keeps its own fields and what approving it does (ApprovalOfKind).
 */

/** Applications one client address may send in a day, of each kind (counted apart). */
export const APPLICATIONS_PER_ADDRESS: RateLimitRule = { limit: 5, windowSeconds: 24 * 60 * 60 };

/** The two kinds of applicant. */
export type ApplicationKind = 'town' | 'partner';

/** The queue's statuses, in the order its tabs show them. */
export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** What differs between the kinds in the steps they share. */
interface KindSettings<T extends 'membership_applications' | 'partners'> {
  table: T;
  /** The column holding the applicant's name (the town's, the organisation's). */
  nameColumn: keyof Database[T] & string;
  /** The placeholder that name fills in the kind's messages. */
  nameParam: string;
  /** The rate-limit bucket per client address. */
  throttleScope: string;
  /** The audit actions' prefix (`….approved`, `….rejected`) and their target's type. */
  audit: 'application' | 'partner';
  receivedMail: { subject: MessageKey; body: MessageKey };
  rejectedMail: { subject: MessageKey; body: MessageKey };
  /** What the reviewers are told of a new application, and where it links (their queue). */
  received: NotificationKind;
  queuePath: string;
}

const KINDS: { town: KindSettings<'membership_applications'>; partner: KindSettings<'partners'> } = {
  town: {
    table: 'membership_applications', nameColumn: 'town_name', nameParam: 'town', queuePath: 'editor/applications/',
    throttleScope: 'application', audit: 'application', received: 'membership.application_received',
    receivedMail: { subject: 'email.applicationReceived.subject', body: 'email.applicationReceived.body' },
    rejectedMail: { subject: 'email.applicationRejected.subject', body: 'email.applicationRejected.body' },
  },
  partner: {
    table: 'partners', nameColumn: 'name', nameParam: 'partner', queuePath: 'editor/partners/',
    throttleScope: 'partner-application', audit: 'partner', received: 'partners.application_received',
    receivedMail: { subject: 'partners.email.received.subject', body: 'partners.email.received.body' },
    rejectedMail: { subject: 'partners.email.rejected.subject', body: 'partners.email.rejected.body' },
  },
};

type TableOf<K extends ApplicationKind> = (typeof KINDS)[K]['table'];

/** Where a kind's queue is, under the reader's language root (`editor/applications/`). */
export function queuePath(kind: ApplicationKind): string {
  return KINDS[kind].queuePath;
}

/** A kind's whole stored application. */
export type ApplicationRow<K extends ApplicationKind> = Selectable<Database[TableOf<K>]>;

/** The columns every kind's table has: the queue reads and writes only these (and the kind's own, given by the kind). */
type SharedColumns = Pick<
  MembershipApplicationTable,
  'id' | 'contact_name' | 'email' | 'phone' | 'motivation' | 'language' | 'status' | 'decision_reason' | 'decided_by' | 'decided_at' | 'created_at'
>;

/**
 * Both kinds' tables seen through their shared columns, so one query serves either kind.
 * What it reads back is the kind's whole row, hence the casts to ApplicationRow.
 */
function queueTables(db: Kysely<Database>) {
  return db as unknown as Kysely<Record<TableOf<ApplicationKind>, SharedColumns>>;
}

/** The applicant's name (the town's, the organisation's) on a kind's row. */
function applicantName(kind: ApplicationKind, row: object): string {
  return String((row as Record<string, unknown>)[KINDS[kind].nameColumn]);
}

/** What every applicant writes, whatever the kind. */
export interface ApplicantInput {
  contactName: string;
  email: string;
  phone: string;
  motivation: string;
  language: Language;
}

/** An application as a kind submits it: its own columns, the applicant's name (for the receipt and the reviewers), and what every applicant writes. */
export interface Submission<K extends ApplicationKind> {
  own: Omit<Insertable<Database[TableOf<K>]>, keyof SharedColumns>;
  name: string;
  applicant: ApplicantInput;
}

export type SubmitOutcome = 'submitted' | 'duplicate' | 'throttled';

/**
 * Stores an application as pending and confirms receipt to the applicant. `own` is the
 * kind's own columns (its fields), `name` the applicant's name for the receipt. One
 * pending application per email and kind: a second is refused as a duplicate.
 */
export async function submitApplication<K extends ApplicationKind>(
  db: Kysely<Database>,
  mailer: Mailer,
  kind: K,
  application: Submission<K>,
  clientAddress: string,
): Promise<SubmitOutcome> {
  const settings = KINDS[kind];
  const limit = await consumeRateLimit(db, `${settings.throttleScope}:address:${clientAddress}`, APPLICATIONS_PER_ADDRESS);
  if (!limit.allowed) return 'throttled';
  const { applicant } = application;
  const email = normalizeEmail(applicant.email);
  const tables = queueTables(db);
  if (await tables.selectFrom(settings.table).select('id').where('email', '=', email).where('status', '=', 'pending').executeTakeFirst()) return 'duplicate';
  try {
    await tables
      .insertInto(settings.table)
      .values({
        ...application.own,
        contact_name: applicant.contactName,
        email,
        phone: applicant.phone,
        motivation: applicant.motivation,
        language: applicant.language,
        status: 'pending',
        decision_reason: null,
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
  const t = createTranslator(applicant.language);
  await mailer.send({
    to: email,
    language: applicant.language,
    subject: t(settings.receivedMail.subject),
    text: t(settings.receivedMail.body, { name: applicant.contactName, [settings.nameParam]: application.name }),
  });
  return 'submitted';
}

/** Submits an application (see submitApplication); once it is stored, every editor and administrator hears of it. */
export async function applyToQueue<K extends ApplicationKind>(
  db: Kysely<Database>,
  notifier: Notifier,
  kind: K,
  application: Submission<K>,
  clientAddress: string,
): Promise<SubmitOutcome> {
  const outcome = await submitApplication(db, notifier.mailer, kind, application, clientAddress);
  if (outcome === 'submitted') {
    const settings = KINDS[kind];
    await notifyEach(db, notifier, await reviewerIds(db), { kind: settings.received, params: { [settings.nameParam]: application.name }, link: settings.queuePath });
  }
  return outcome;
}

/** A kind's applications with a status, oldest first (the queue order). */
export async function listApplications<K extends ApplicationKind>(db: Kysely<Database>, kind: K, status: ApplicationStatus): Promise<ApplicationRow<K>[]> {
  const rows = await queueTables(db).selectFrom(KINDS[kind].table).selectAll().where('status', '=', status).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  return rows as unknown as ApplicationRow<K>[];
}

/** How many of a kind's applications have each status. */
export async function countApplications(db: Kysely<Database>, kind: ApplicationKind): Promise<Record<ApplicationStatus, number>> {
  const rows = await queueTables(db)
    .selectFrom(KINDS[kind].table)
    .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<ApplicationStatus, number> = { pending: 0, approved: 0, rejected: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** One application of a kind, or undefined. */
export async function findApplication<K extends ApplicationKind>(db: Kysely<Database>, kind: K, id: number): Promise<ApplicationRow<K> | undefined> {
  const row = await queueTables(db).selectFrom(KINDS[kind].table).selectAll().where('id', '=', id).executeTakeFirst();
  return row as unknown as ApplicationRow<K> | undefined;
}

/** Why a decision could not be made, whatever the kind. */
export type QueueProblem = 'notFound' | 'alreadyDecided' | 'emailHasAccount';

export type DecisionOutcome<Problem extends string = QueueProblem> = { ok: true } | { ok: false; problem: QueueProblem | Problem };

/** Who decides, from where. */
export interface Decider {
  applicationId: number;
  editorId: string;
  clientAddress: string;
}

/**
 * What approving does that is a kind's own. `admit` runs in the decision's transaction,
 * once the application is known to be still pending: it does the kind's writes and says
 * which of its own columns to set with the approval, what the audit entry adds, and the
 * account the contact is invited to; or it names a problem, and nothing is written.
 * What caches must hear is recorded in that transaction too (src/server/cache/changes.ts).
 */
export interface ApprovalOfKind<K extends ApplicationKind, Problem extends string, Admission> {
  admit(trx: Transaction<Database>, application: ApplicationRow<K>): Promise<{ problem: Problem } | { admitted: Admission }>;
  columns?(admitted: Admission): Omit<Updateable<Database[TableOf<K>]>, keyof SharedColumns>;
  details?(admitted: Admission): AuditEntry['details'];
  invitation(application: ApplicationRow<K>, admitted: Admission): { role: 'town_admin' | 'partner'; townId: number | null; partnerId?: number };
}

/**
 * Approves a pending application of a kind: the kind admits it (ApprovalOfKind) in one
 * transaction with the approval, then the decision is audited and the contact invited.
 * Refused when the application is unknown, already decided, or its email has an account.
 */
export async function approveApplication<K extends ApplicationKind, Problem extends string, Admission>(
  db: Kysely<Database>,
  mailer: Mailer,
  kind: K,
  decision: Decider & { baseUrl: string },
  approval: ApprovalOfKind<K, Problem, Admission>,
): Promise<DecisionOutcome<Problem>> {
  const settings = KINDS[kind];
  const application = await findApplication(db, kind, decision.applicationId);
  if (!application) return { ok: false, problem: 'notFound' };
  const shared = application as unknown as Selectable<SharedColumns>;
  if (shared.status !== 'pending') return { ok: false, problem: 'alreadyDecided' };
  if (await db.selectFrom('users').select('id').where('email', '=', shared.email).executeTakeFirst()) return { ok: false, problem: 'emailHasAccount' };
  const now = clock.now();
  const outcome = await db.transaction().execute(async (trx) => {
    const tables = queueTables(trx);
    const current = await tables.selectFrom(settings.table).select('status').where('id', '=', shared.id).executeTakeFirstOrThrow();
    if (current.status !== 'pending') return { problem: 'alreadyDecided' as const };
    const admission = await approval.admit(trx, application);
    if ('problem' in admission) return admission;
    await tables
      .updateTable(settings.table)
      .set({ ...approval.columns?.(admission.admitted), status: 'approved', decided_by: decision.editorId, decided_at: now })
      .where('id', '=', shared.id)
      .execute();
    return admission;
  });
  if ('problem' in outcome) return { ok: false, problem: outcome.problem };
  const { admitted } = outcome;
  await recordAudit(db, {
    actorId: decision.editorId,
    action: `${settings.audit}.approved` as const,
    target: { type: settings.audit, id: String(shared.id) },
    clientAddress: decision.clientAddress,
    ...(approval.details ? { details: approval.details(admitted) } : {}),
  });
  await sendInvitation(db, mailer, {
    ...approval.invitation(application, admitted),
    email: shared.email,
    name: shared.contact_name,
    language: shared.language,
    invitedBy: decision.editorId,
    baseUrl: decision.baseUrl,
    clientAddress: decision.clientAddress,
  });
  return { ok: true };
}

/** Rejects a pending application of a kind and tells the applicant why, in their language. */
export async function rejectApplication(
  db: Kysely<Database>,
  mailer: Mailer,
  kind: ApplicationKind,
  decision: Decider & { reason: string },
): Promise<DecisionOutcome> {
  const settings = KINDS[kind];
  const application = await findApplication(db, kind, decision.applicationId);
  if (!application) return { ok: false, problem: 'notFound' };
  const shared = application as unknown as Selectable<SharedColumns>;
  const updated = await queueTables(db)
    .updateTable(settings.table)
    .set({ status: 'rejected', decision_reason: decision.reason, decided_by: decision.editorId, decided_at: clock.now() })
    .where('id', '=', shared.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'alreadyDecided' };
  const t = createTranslator(shared.language);
  await mailer.send({
    to: shared.email,
    language: shared.language,
    subject: t(settings.rejectedMail.subject),
    text: t(settings.rejectedMail.body, { name: shared.contact_name, [settings.nameParam]: applicantName(kind, application), reason: decision.reason }),
  });
  await recordAudit(db, { actorId: decision.editorId, action: `${settings.audit}.rejected` as const, target: { type: settings.audit, id: String(shared.id) }, clientAddress: decision.clientAddress });
  return { ok: true };
}
