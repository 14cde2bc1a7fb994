import { ActionError, getActionContext, type SafeResult } from 'astro:actions';
import { defineMiddleware, sequence } from 'astro:middleware';
import { createTranslator, DEFAULT_LANGUAGE, languageFromPath } from './i18n/index.ts';
import { auth } from './server/auth/index.ts';
import { clearStaleSignedInHint, writeSessionCookie } from './server/auth/cookies.ts';
import { validateSessionToken } from './server/auth/session.ts';
import { isDatabaseBusy } from './server/db/busy.ts';
import { log } from './server/log.ts';

/** Puts the request's language (from the URL) and its translator on `locals`. */
const language = defineMiddleware((context, next) => {
  const lang = languageFromPath(context.url.pathname) ?? DEFAULT_LANGUAGE;
  context.locals.lang = lang;
  context.locals.t = createTranslator(lang);
  return next();
});

/**
 * Puts the signed-in user on `locals` for on-demand requests, and keeps responses
 * that may carry member data out of every cache.
 */
const session = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  // Prerendered pages are built without a request; they carry no user data.
  if (context.isPrerendered) return next();

  const token = context.cookies.get(auth().sessionCookieName)?.value;
  if (token) {
    const validation = await validateSessionToken(auth(), token);
    if (validation.session) {
      // The unread count read with the session stands for the page only when nothing in this
      // request can change it first (an action may mark notifications read): see CurrentUser.
      const { method } = context.request;
      if (method !== 'GET' && method !== 'HEAD') validation.user.unreadNotifications = undefined;
      context.locals.user = validation.user;
      context.locals.session = validation.session;
      if (validation.refreshedCookie) writeSessionCookie(context.cookies, validation.refreshedCookie);
    } else {
      writeSessionCookie(context.cookies, auth().createBlankSessionCookie());
    }
  } else {
    clearStaleSignedInHint(context.cookies, auth().createBlankSessionCookie().attributes);
  }

  const response = await next();
  try {
    if (context.locals.user || !response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
    response.headers.append('Vary', 'Cookie');
  } catch {
    // Some responses (e.g. Response.redirect) have immutable headers; they carry no page.
  }
  return response;
});

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Every write in Qala is a form post (actions accept 'form' only). Anything else
 * with a body is refused here with 415, before a parser can fail on it.
 */
const formBodiesOnly = defineMiddleware((context, next) => {
  if (context.isPrerendered) return next();
  const { method, headers } = context.request;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const hasBody = headers.has('content-type') || Number(headers.get('content-length') ?? 0) > 0;
  // Only multipart forms carry files (astro.config.mjs allows 21 MB for them); a plain form
  // stays within Astro's own default of 1 MB.
  if (type === FORM_TYPES[0] && Number(headers.get('content-length') ?? 0) > 1024 * 1024) {
    return new Response(context.locals.t('files.error.formTooLarge'), {
      status: 413,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  if (!hasBody || FORM_TYPES.includes(type)) return next();
  return new Response(context.locals.t('form.unsupported'), {
    status: 415,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
});

/**
 * An action's result as the reader should get it. Astro turns anything an action throws
 * that is not an ActionError into INTERNAL_SERVER_ERROR (500) keeping only the message:
 * a write that could not get the database lock becomes SERVICE_UNAVAILABLE (503) with
 * a "try again" message; anything else was logged with its stack and the request's
 * id by the action itself (src/actions/define.ts), before Astro dropped the stack.
 */
function answerable(context: { locals: App.Locals }, name: string, result: SafeResult<any, unknown>): SafeResult<any, unknown> {
  const { error } = result;
  // Astro refuses a body above security.actionBodySizeLimit (astro.config.mjs) unread, in English.
  if (error instanceof ActionError && error.code === 'CONTENT_TOO_LARGE') {
    return { data: undefined, error: new ActionError({ code: 'CONTENT_TOO_LARGE', message: 'files.error.bodyTooLarge' }) };
  }
  if (!(error instanceof ActionError) || error.code !== 'INTERNAL_SERVER_ERROR') return result;
  const requestId = context.locals.requestId;
  if (isDatabaseBusy(error)) {
    log.warn('action gave up waiting for the database lock', { requestId, action: name });
    return { data: undefined, error: new ActionError({ code: 'SERVICE_UNAVAILABLE', message: 'error.busy' }) };
  }
  // The failure itself was logged with its stack where it was thrown (src/actions/define.ts).
  return result;
}

/**
 * Runs the action a form (or a script, through /_actions/) posted, as Astro would
 * after the middleware, but through `answerable`. It comes after `session`, since
 * actions read the signed-in user.
 */
const actions = defineMiddleware(async (context, next) => {
  if (context.isPrerendered) return next();
  const { action, setActionResult, serializeActionResult } = getActionContext(context);
  if (!action) return next();
  const result = serializeActionResult(answerable(context, action.name, await action.handler()));
  if (action.calledFrom === 'form') {
    setActionResult(action.name, result);
    const response = await next();
    // A "try again" answer says when (a busy database or password hasher clears in seconds).
    if (result.type === 'error' && result.status === 503 && response.status === 503) {
      try {
        response.headers.set('Retry-After', '5');
      } catch {
        // Immutable headers (a redirect): nothing to say there.
      }
    }
    return response;
  }
  // As Astro's own /_actions/ route answers.
  if (result.type === 'empty') return new Response(null, { status: result.status });
  return new Response(result.body, { status: result.status, headers: { 'Content-Type': result.contentType } });
});

export const onRequest = sequence(language, formBodiesOnly, session, actions);
