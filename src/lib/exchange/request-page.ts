import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import type { MessageKey } from '~/i18n/index.ts';
import { formState, type FormState } from '~/lib/forms.ts';
import type { RequestStatus } from './catalogue.ts';

/** The actions posted to a request page, with what the page says after each succeeds. */
const PAGE_ACTIONS = {
  respond: 'exchange.respond.posted',
  editResponse: 'exchange.responseEdit.saved',
  accept: 'exchange.responses.acceptedNotice',
  markInProgress: 'exchange.request.statusChanged',
  resolve: 'exchange.request.statusChanged',
  withdrawRequest: 'exchange.request.withdrawn',
  withdrawResponse: 'exchange.responses.withdrawnDone',
  invite: 'exchange.matching.inviteDone',
  hideRequest: 'exchange.moderation.done',
  unhideRequest: 'exchange.moderation.done',
  hideResponse: 'exchange.moderation.done',
  unhideResponse: 'exchange.moderation.done',
  startCase: 'exchange.case.started',
} as const satisfies Record<string, MessageKey>;

/** An action of the request page. */
export type PageAction = keyof typeof PAGE_ACTIONS;

/** What happened on the request page. */
export interface RequestPageOutcome {
  /** After a success: where to go (the page again, saying what was done). */
  redirect: string | null;
  /** After a failure: which form, and its state (status already set on the response). */
  error: { action: PageAction; state: FormState } | null;
  /** The message for `?done=` after the redirect. */
  notice: string | null;
  /** Rendered markdown after "Preview", and for which form. */
  preview: string | null;
  previewFor: 'respond' | null;
}

function isPageAction(value: string | null): value is PageAction {
  return value !== null && value in PAGE_ACTIONS;
}

/**
 * Reads whichever action was posted to the page. A success redirects (303) so a
 * reload does not post again; a failure keeps the page with the error and the text.
 */
export async function requestPageOutcome(page: AstroGlobal, here: string, status: RequestStatus): Promise<RequestPageOutcome> {
  const { t } = page.locals;
  for (const name of Object.keys(PAGE_ACTIONS) as PageAction[]) {
    const action = actions.exchange[name];
    const result = page.getActionResult(action);
    if (!result) continue;
    if (!result.error) {
      // Starting a case goes on to the case draft itself.
      if (result.data && typeof result.data === 'object' && 'draftPath' in result.data) {
        return { redirect: String(result.data.draftPath), error: null, notice: null, preview: null, previewFor: null };
      }
      const params = new URLSearchParams({ done: name });
      if (result.data && typeof result.data === 'object' && 'invited' in result.data) params.set('who', String(result.data.invited));
      return { redirect: `${here}?${params}`, error: null, notice: null, preview: null, previewFor: null };
    }
    return { redirect: null, error: { action: name, state: await formState(page, action) }, notice: null, preview: null, previewFor: null };
  }
  const preview = page.getActionResult(actions.exchange.preview);
  const done = page.url.searchParams.get('done');
  const saved = page.url.searchParams.get('saved');
  const notice = isPageAction(done)
    ? t(PAGE_ACTIONS[done], { status: t(`exchange.status.${status}`), name: (page.url.searchParams.get('who') ?? '').slice(0, 100) })
    : saved === 'draft' || saved === 'published' || saved === 'edited'
      ? t(`exchange.saved.${saved}`)
      : null;
  return { redirect: null, error: null, notice, preview: preview?.data?.preview ?? null, previewFor: preview ? 'respond' : null };
}
