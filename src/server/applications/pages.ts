import type { AstroGlobal } from 'astro';
import type { Kysely } from 'kysely';
import { formState, type FormState } from '~/lib/forms.ts';
import { guardPage, guardRecordPage } from '~/server/auth/page-guard.ts';
import type { Database } from '~/server/db/schema.ts';
import { canReviewApplications } from '~/server/membership/rules.ts';
import { APPLICATION_STATUSES, countApplications, findApplication, listApplications, queuePath, type ApplicationKind, type ApplicationRow, type ApplicationStatus } from './queue.ts';

/**
 * What the editors' queue pages of either kind of application read before rendering
 * (src/components/applications/): the same guard, the status asked for, the counts, the
 * decision forms' state. Each kind's pages add only its own fields.
 */

type Page = AstroGlobal;

/** The queue index: a sign-in redirect to return, or the status shown, its applications and every status's count (for a reviewer). */
export async function queueIndex<K extends ApplicationKind>(page: Page, db: Kysely<Database>, kind: K) {
  const guard = guardPage(page, canReviewApplications);
  if (guard.signIn) return guard;
  const requested = page.url.searchParams.get('status');
  const status: ApplicationStatus = APPLICATION_STATUSES.find((candidate) => candidate === requested) ?? 'pending';
  const [applications, counts] = guard.allowed ? await Promise.all([listApplications(db, kind, status), countApplications(db, kind)]) : [[], null];
  return { ...guard, status, applications, counts, queue: `/${page.locals.lang}/${queuePath(kind)}` };
}

/** A kind's two decision actions (e.g. `actions.partners`). */
interface DecisionActions {
  approve: Parameters<Page['getActionResult']>[0];
  reject: Parameters<Page['getActionResult']>[0];
}

/** What the review frame (ApplicationReview.astro) shows after the guard. */
export interface Review<K extends ApplicationKind> {
  allowed: boolean;
  application: ApplicationRow<K> | undefined;
  /** The queue's address, and this page's. */
  queue: string;
  here: string;
  /** Where each decision form posts. */
  approveAction: string;
  rejectAction: string;
  approved: boolean;
  rejected: boolean;
  approveForm: FormState;
  /** The form whose error the page shows: the reject form after a rejection, else the approve form. */
  shownForm: FormState;
}

/** One application's page: a sign-in redirect to return, or the review (the application only for a reviewer; 404 when there is none). */
export async function applicationReview<K extends ApplicationKind>(
  page: Page,
  db: Kysely<Database>,
  kind: K,
  decisions: DecisionActions,
): Promise<{ signIn: Response } | ({ signIn: null } & Review<K>)> {
  const guard = await guardRecordPage(page, canReviewApplications, (id) => findApplication(db, kind, id));
  if (guard.signIn) return guard;
  const queue = `/${page.locals.lang}/${queuePath(kind)}`;
  const here = `${queue}${page.params.id}/`;
  const rejected = page.getActionResult(decisions.reject);
  const approveForm = await formState(page, decisions.approve);
  return {
    signIn: null,
    allowed: guard.allowed,
    application: guard.record,
    queue,
    here,
    approveAction: `${here}${decisions.approve}`,
    rejectAction: `${here}${decisions.reject}`,
    approved: !!page.getActionResult(decisions.approve)?.data,
    rejected: !!rejected?.data,
    approveForm,
    shownForm: rejected ? await formState(page, decisions.reject) : approveForm,
  };
}
