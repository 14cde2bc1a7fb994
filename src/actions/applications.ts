import { ActionError, type ActionAPIContext } from 'astro:actions';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { DecisionOutcome, SubmitOutcome } from '~/server/applications/queue.ts';
import { canReviewApplications } from '~/server/membership/rules.ts';
import { email, oneLine, required } from './fields.ts';

// What the actions of both kinds of application share (towns: membership.ts, partners:
// partners.ts), as the queue they post to is one (src/server/applications/queue.ts).

/** The fields every applicant fills in, whatever the kind. */
export const applicantFields = {
  contactName: oneLine(120),
  email,
  phone: oneLine(40).refine((value) => /^[+\d][\d\s()+-]{5,}$/.test(value), 'apply.phoneFormat'),
  motivation: required.min(20, 'form.tooShort').max(3000, 'form.tooLong'),
};

/** The reason a rejection gives the applicant. */
export const rejectionReason = required.min(10, 'form.tooShort').max(2000, 'form.tooLong');

/** The editor deciding: refused (403) unless they may review applications. */
export function reviewer(context: ActionAPIContext): CurrentUser {
  const user = context.locals.user;
  if (!user || !canReviewApplications(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'auth.forbidden' });
  return user;
}

/** A refused submission as the form's answer: 429 when throttled, 409 for a duplicate. */
export function answerSubmission(outcome: SubmitOutcome): { submitted: true } {
  if (outcome === 'throttled') throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'apply.throttled' });
  if (outcome === 'duplicate') throw new ActionError({ code: 'CONFLICT', message: 'apply.duplicate' });
  return { submitted: true };
}

/** A refused decision as the form's answer: 404 for an unknown application, else 409 (already decided, an account exists, …). */
export function answerDecision(outcome: DecisionOutcome<string>): void {
  if (!outcome.ok) throw new ActionError({ code: outcome.problem === 'notFound' ? 'NOT_FOUND' : 'CONFLICT', message: `application.problem.${outcome.problem}` });
}
