import { ActionError, defineAction, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import { loadFileItems } from '../server/knowledge/items.ts';
import { refreshCaseIndex } from '../server/knowledge/case-search.ts';
import { recordAudit } from '../server/audit/audit.ts';
import { caseAuthorIds, findCase } from '../server/cases/cases.ts';
import { CASE_TEXT_FIELDS, maxLength, readCaseForm } from '../server/cases/content.ts';
import { proposeChanges, saveCase, startDraft, withdrawSubmission } from '../server/cases/drafts.ts';
import type { CaseOutcome } from '../server/cases/events.ts';
import { commentOnCase, decideCase, REVIEW_TEXT_MAX, unpublishCase } from '../server/cases/review.ts';
import { canReviewCases, canWriteCases } from '../server/cases/rules.ts';
import { db } from '../server/db/index.ts';
import { mailer } from '../server/mail/index.ts';
import type { NotificationKind } from '../server/notifications/kinds.ts';
import { notify, reviewerIds } from '../server/notifications/notifications.ts';
import { consumeRateLimit } from '../server/rate-limit.ts';
import { publicBaseUrl, requestClientAddress } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** Writes one member may make in an hour on cases: plenty for writing, too few to flood. */
const WRITES_PER_HOUR = { limit: 200, windowSeconds: 60 * 60 };

const id = z.coerce.number({ invalid_type_error: 'cases.problem.notFound' }).int().positive('cases.problem.notFound').max(2_000_000_000, 'cases.problem.notFound');
const version = z.coerce.number({ invalid_type_error: 'cases.problem.stale' }).int().min(1, 'cases.problem.stale');
const longText = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value), z.string({ required_error: 'form.required', invalid_type_error: 'form.required' }).trim().min(1, 'form.required').max(max, 'form.tooLong'));

/** The case form: every text field (lengths checked in readCaseForm), topics and languages. */
const caseFormFields = Object.fromEntries(CASE_TEXT_FIELDS.map((field) => [field, z.string().max(maxLength(field) * 2, 'form.tooLong').optional()])) as Record<string, z.ZodOptional<z.ZodString>>;

function problem(outcome: Extract<CaseOutcome, { ok: false }>): never {
  const code = { notFound: 'NOT_FOUND', forbidden: 'FORBIDDEN', stale: 'CONFLICT', wrongState: 'CONFLICT', incomplete: 'BAD_REQUEST' } as const;
  throw new ActionError({ code: code[outcome.problem], message: `cases.problem.${outcome.problem}` });
}

async function throttle(context: ActionAPIContext): Promise<void> {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  const limit = await consumeRateLimit(db(), `cases:write:${user.id}`, WRITES_PER_HOUR);
  if (!limit.allowed) throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'cases.problem.throttled' });
}

async function tellAuthors(context: ActionAPIContext, caseId: number, kind: NotificationKind, params: Record<string, string>): Promise<void> {
  for (const userId of await caseAuthorIds(db(), caseId)) {
    await notify(db(), mailer(), { userId, kind, params, link: `account/cases/${caseId}/` }, publicBaseUrl(context));
  }
}

async function tellEditors(context: ActionAPIContext, caseId: number): Promise<void> {
  const memberCase = await findCase(db(), caseId);
  if (!memberCase) return;
  const reviewers = await reviewerIds(db());
  const languages = new Map((reviewers.length ? await db().selectFrom('users').select(['id', 'language']).where('id', 'in', reviewers).execute() : []).map((row) => [row.id, row.language]));
  for (const userId of reviewers) {
    // The town's name in each editor's own language, as the rest of the message.
    const town = memberCase.townName[languages.get(userId) ?? 'en'];
    await notify(db(), mailer(), { userId, kind: 'cases.submitted', params: { title: memberCase.content.title, town }, link: `editor/cases/${caseId}/` }, publicBaseUrl(context));
  }
  await recordAudit(db(), { actorId: context.locals.user!.id, action: 'case.submitted', target: { type: 'case', id: String(caseId) }, clientAddress: requestClientAddress(context) });
}

/** Writing, submitting and reviewing member towns' cases. */
export const casesActions = {
  /**
   * The case form's three buttons: save the draft, preview it (nothing saved), or submit
   * it for review. Without `id`, saving starts a new draft for the member's own town.
   */
  save: defineAction({
    accept: 'form',
    input: z
      .object({
        id: id.optional(),
        version: version.optional(),
        intent: z.enum(['save', 'preview', 'submit'], { errorMap: () => ({ message: 'form.invalid' }) }).default('save'),
        languages: z.array(z.string().max(10, 'cases.error.unknownLanguage')).max(10, 'form.tooLong').default([]),
        topics: z.array(z.string().max(80, 'cases.error.unknownTopic')).max(60, 'form.tooLong').default([]),
        ...caseFormFields,
      })
      .superRefine((input, context) => {
        if (input.intent === 'preview') return;
        const { errors } = readCaseForm(input, input.intent === 'submit');
        for (const [field, message] of Object.entries(errors)) context.addIssue({ code: 'custom', path: [field], message });
      }),
    handler: async (input, context) => {
      const user = context.locals.user;
      if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      if (input.intent === 'preview') return { intent: 'preview' as const, id: input.id ?? null };
      if (!canWriteCases(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'cases.problem.forbidden' });
      await throttle(context);
      const { content } = readCaseForm(input, input.intent === 'submit');
      let caseId = input.id;
      let from = input.version;
      if (caseId === undefined) {
        const started = await startDraft(db(), user, content);
        if (!started.ok) problem(started);
        caseId = started.id;
        from = 1;
      } else if (from === undefined) {
        throw new ActionError({ code: 'BAD_REQUEST', message: 'cases.problem.stale' });
      }
      if (input.intent === 'submit' || input.id !== undefined) {
        const saved = await saveCase(db(), user, { id: caseId, version: from!, content, submit: input.intent === 'submit' });
        if (!saved.ok) problem(saved);
        if (saved.submitted) await tellEditors(context, caseId);
      }
      return { intent: input.intent, id: caseId };
    },
  }),

  withdraw: defineAction({
    accept: 'form',
    input: z.object({ id, version }),
    handler: async (input, context) => {
      await throttle(context);
      const outcome = await withdrawSubmission(db(), context.locals.user, input);
      if (!outcome.ok) problem(outcome);
      return { withdrawn: true };
    },
  }),

  propose: defineAction({
    accept: 'form',
    input: z.object({ id, version }),
    handler: async (input, context) => {
      await throttle(context);
      const outcome = await proposeChanges(db(), context.locals.user, input);
      if (!outcome.ok) problem(outcome);
      return { proposing: true };
    },
  }),

  comment: defineAction({
    accept: 'form',
    input: z.object({ id, comment: longText(REVIEW_TEXT_MAX) }),
    handler: async (input, context) => {
      await throttle(context);
      const outcome = await commentOnCase(db(), context.locals.user, { id: input.id, body: input.comment });
      if (!outcome.ok) problem(outcome);
      return { commented: true };
    },
  }),

  /** An editor's decision on the version they read. Rejecting and requesting changes say why. */
  decide: defineAction({
    accept: 'form',
    input: z
      .object({
        id,
        version,
        decision: z.enum(['approve', 'reject', 'requestChanges'], { errorMap: () => ({ message: 'form.invalid' }) }),
        // Optional on the outside, so an absent field arrives as undefined (Astro reads it as null otherwise).
        reason: z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : value), z.string().max(REVIEW_TEXT_MAX, 'form.tooLong')).optional(),
      })
      .superRefine((input, context) => {
        if (input.decision !== 'approve' && (input.reason ?? '').length < 5) context.addIssue({ code: 'custom', path: ['reason'], message: input.reason ? 'form.tooShort' : 'cases.review.reasonRequired' });
      }),
    handler: async (input, context) => {
      const user = context.locals.user;
      if (!canReviewCases(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'cases.problem.forbidden' });
      await throttle(context);
      const reservedSlugs = new Set((await loadFileItems('cases')).map((item) => item.slug));
      const outcome = await decideCase(db(), user, { id: input.id, version: input.version, decision: input.decision, body: input.reason ?? null, reservedSlugs });
      if (!outcome.ok) problem(outcome);
      const memberCase = await findCase(db(), input.id);
      const params = { title: memberCase?.content.title ?? '', reason: input.reason ?? '' };
      const kind = ({ approve: 'cases.approved', reject: 'cases.rejected', requestChanges: 'cases.changes_requested' } as const)[input.decision];
      await tellAuthors(context, input.id, kind, params);
      const action = ({ approve: 'case.approved', reject: 'case.rejected', requestChanges: 'case.changes_requested' } as const)[input.decision];
      await recordAudit(db(), { actorId: user!.id, action, target: { type: 'case', id: String(input.id) }, clientAddress: requestClientAddress(context), details: { version: input.version, slug: outcome.slug } });
      if (input.decision === 'approve') refreshCaseIndex(db());
      return { decision: input.decision, slug: outcome.slug };
    },
  }),

  unpublish: defineAction({
    accept: 'form',
    input: z.object({ id, reason: longText(REVIEW_TEXT_MAX).pipe(z.string().min(5, 'form.tooShort')) }),
    handler: async (input, context) => {
      const user = context.locals.user;
      if (!canReviewCases(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'cases.problem.forbidden' });
      await throttle(context);
      const outcome = await unpublishCase(db(), user, { id: input.id, reason: input.reason });
      if (!outcome.ok) problem(outcome);
      const memberCase = await findCase(db(), input.id);
      await tellAuthors(context, input.id, 'cases.unpublished', { title: memberCase?.published?.title ?? '', reason: input.reason });
      await recordAudit(db(), { actorId: user!.id, action: 'case.unpublished', target: { type: 'case', id: String(input.id) }, clientAddress: requestClientAddress(context) });
      refreshCaseIndex(db());
      return { unpublished: true };
    },
  }),
};
