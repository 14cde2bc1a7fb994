import type { AstroGlobal } from 'astro';
import { isInputError, type SafeResult } from 'astro:actions';
import { STATUS_CODES } from 'node:http';
import { isMessageKey, type Translate } from '~/i18n/index.ts';

/** What a form page needs to show after a submission: typed values and translated errors. */
export interface FormState {
  /** What the user typed, to put back in the fields (never passwords). */
  values: Record<string, string>;
  /** One translated message per field in error, keyed by field name. */
  fieldErrors: Record<string, string>;
  /** A message about the whole form (e.g. wrong email or password). */
  formError: string | null;
  /** HTTP status the page should answer with. */
  status: number;
}

/**
 * The largest form body Qala reads: a post's files (20 MB together) and its text. The
 * same number is Astro's `security.actionBodySizeLimit` in astro.config.mjs.
 */
export const MAX_FORM_BODY_BYTES = 21 * 1024 * 1024;

const EMPTY: FormState = { values: {}, fieldErrors: {}, formError: null, status: 200 };

/** Field names whose values are never sent back to the browser. */
const SECRET_FIELDS = /password|current|confirm/i;

/**
 * What a form page needs after a submission to `action`: typed values and translated
 * errors. After a failed submission, also sets the page's HTTP status to the error's,
 * with its standard reason phrase (Astro's own would read "AstroActionError").
 */
export async function formState(
  page: Pick<AstroGlobal, 'request' | 'response' | 'locals' | 'getActionResult'>,
  action: Parameters<AstroGlobal['getActionResult']>[0],
): Promise<FormState> {
  const result = page.getActionResult(action);
  const state = await stateFromResult(page.request, result, page.locals.t);
  // Only a failed submission decides the status; otherwise the page's own (e.g. 403) stands.
  if (result?.error) {
    page.response.status = state.status;
    page.response.statusText = STATUS_CODES[state.status] ?? '';
  }
  return state;
}

/**
 * Turns an action result into what the form shows. Action errors carry i18n keys as
 * messages; anything else (a body too large, a malformed form) gets a generic
 * message rather than a stack trace.
 */
async function stateFromResult(
  request: Request,
  result: SafeResult<any, unknown> | undefined,
  t: Translate,
): Promise<FormState> {
  if (!result?.error) return EMPTY;
  const { error } = result;
  const translate = (message: string | undefined) => (message && isMessageKey(message) ? t(message) : t('form.invalid'));

  if (isInputError(error)) {
    const fieldErrors = Object.fromEntries(
      Object.entries(error.fields).map(([field, messages]) => [field, translate(messages?.[0])]),
    );
    return { values: await submittedValues(request), fieldErrors, formError: t('form.fixErrors'), status: 400 };
  }
  const status = error.status >= 400 && error.status < 600 ? error.status : 400;
  const readable = status !== 413 && status !== 415;
  return { values: readable ? await submittedValues(request) : {}, fieldErrors: {}, formError: translate(error.message), status };
}

async function submittedValues(request: Request): Promise<Record<string, string>> {
  try {
    const data = await request.clone().formData();
    const values: Record<string, string> = {};
    for (const [name, value] of data) {
      if (typeof value === 'string' && !SECRET_FIELDS.test(name)) values[name] = value;
    }
    return values;
  } catch {
    return {};
  }
}

/**
 * The form as submitted, for fields `formState` cannot keep (checkbox groups with
 * several values) after a failed or preview submission. Null for a GET or a body
 * that is not a readable form.
 */
export async function submittedForm(page: Pick<AstroGlobal, 'request'>): Promise<FormData | null> {
  if (page.request.method !== 'POST') return null;
  // A body the action refused as too large (413) is not read here either.
  if (Number(page.request.headers.get('content-length') ?? 0) > MAX_FORM_BODY_BYTES) return null;
  try {
    return await page.request.clone().formData();
  } catch {
    return null;
  }
}

/** Every string value of a field in a submitted form. */
export function submittedList(form: FormData | null, name: string): string[] {
  return (form?.getAll(name) ?? []).filter((value): value is string => typeof value === 'string');
}
