import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { formState, type FormState } from './forms.ts';

/**
 * Where a group's overview page goes (303) after a form posted to it succeeded in a
 * way that moves on: to the list after leaving a group one can no longer see, to the
 * new thread after starting one. Null when the page is shown.
 */
export function overviewRedirect(page: Pick<AstroGlobal, 'getActionResult' | 'locals' | 'params'>): string | null {
  const { lang } = page.locals;
  const left = page.getActionResult(actions.groups.leave);
  if (left?.data && !left.data.visible) return `/${lang}/groups/?left=1`;
  const created = page.getActionResult(actions.groups.createThread);
  if (created?.data) return `/${lang}/groups/${page.params.slug}/threads/${created.data.threadId}/`;
  return null;
}

/** What the overview says after a form was posted to it, and the state of its own two forms. */
export interface OverviewForms {
  messages: string[];
  problems: string[];
  requestForm: FormState;
  threadForm: FormState;
}

/**
 * Reads whichever form was posted to the overview. A failed one sets the page's status
 * (see formState), so the page calls this after loading the group.
 */
export async function overviewForms(page: AstroGlobal): Promise<OverviewForms> {
  const { t } = page.locals;
  // The buttons that only succeed or fail, with what the page says after a success.
  const simple = [
    [actions.groups.join, 'groups.joined'],
    [actions.groups.withdrawRequest, 'groups.withdrawn'],
    [actions.groups.leave, 'groups.left'],
    [actions.groups.answerMeeting, 'groups.meeting.answered'],
  ] as const;
  const messages: string[] = [];
  const problems: string[] = [];
  for (const [action, success] of simple) {
    const result = page.getActionResult(action);
    if (result?.data) messages.push(t(success));
    if (result?.error) problems.push((await formState(page, action)).formError ?? t('form.invalid'));
  }
  const requested = page.getActionResult(actions.groups.requestToJoin);
  const requestForm = await formState(page, actions.groups.requestToJoin);
  const threadForm = await formState(page, actions.groups.createThread);
  if (requested?.data) messages.push(t('groups.requested'));
  // A refusal that is about the whole group (archived, already a member…) is shown at the
  // top, since the form it came from may no longer be on the page.
  for (const form of [requestForm, threadForm]) {
    if (form.formError && Object.keys(form.fieldErrors).length === 0) problems.push(form.formError);
  }
  return { messages, problems, requestForm, threadForm };
}
