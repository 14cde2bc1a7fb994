import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { formState, submittedForm, submittedList, type FormState } from '~/lib/forms.ts';

/** What the request form shows: stored values, or what the member typed. */
export interface RequestFormValues {
  title: string;
  body: string;
  helpForms: readonly string[];
  topics: readonly string[];
  languages: readonly string[];
  urgency: string;
  deadline: string;
}

/** What the form reads of a stored request (a HelpRequest has all of it). */
export type StoredRequest = Omit<RequestFormValues, 'deadline'> & { deadline: string | null };

/** What a request-form page needs: the form state, the values to show, and any preview. */
export interface RequestFormPage {
  form: FormState;
  values: RequestFormValues;
  preview: string | null;
}

/**
 * Reads a submission of the request form (a failed save, or "Preview") and decides
 * what the fields show: what was typed after a submission, else the stored request,
 * else the defaults for a new one.
 */
export async function requestFormPage(page: AstroGlobal, stored: StoredRequest | undefined): Promise<RequestFormPage> {
  const form = await formState(page, actions.exchange.saveRequest);
  const previewResult = page.getActionResult(actions.exchange.preview);
  const submitted = form.status !== 200 || previewResult ? await submittedForm(page) : null;
  const typed = (name: string) => (submitted?.get(name) as string | null) ?? '';
  const values: RequestFormValues = submitted
    ? {
        title: typed('title'),
        body: typed('body'),
        helpForms: submittedList(submitted, 'helpForms'),
        topics: submittedList(submitted, 'topics'),
        languages: submittedList(submitted, 'languages'),
        urgency: typed('urgency'),
        deadline: typed('deadline'),
      }
    : stored
      ? {
          title: stored.title,
          body: stored.body,
          helpForms: stored.helpForms,
          topics: stored.topics,
          languages: stored.languages,
          urgency: stored.urgency,
          deadline: stored.deadline ?? '',
        }
      : { title: '', body: '', helpForms: [], topics: [], languages: [page.locals.lang], urgency: 'normal', deadline: '' };
  return { form, values, preview: previewResult?.data?.preview ?? (previewResult?.error ? '' : null) };
}
