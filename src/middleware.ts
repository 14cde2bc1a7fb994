import { defineMiddleware, sequence } from 'astro:middleware';
import { createTranslator, DEFAULT_LANGUAGE, languageFromPath } from './i18n/index.ts';
import { auth } from './server/auth/index.ts';
import { writeSessionCookie } from './server/auth/cookies.ts';
import { validateSessionToken } from './server/auth/session.ts';

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
      context.locals.user = validation.user;
      context.locals.session = validation.session;
      if (validation.refreshedCookie) writeSessionCookie(context.cookies, validation.refreshedCookie);
    } else {
      writeSessionCookie(context.cookies, auth().createBlankSessionCookie());
    }
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
  if (!hasBody || FORM_TYPES.includes(type)) return next();
  return new Response(context.locals.t('form.unsupported'), {
    status: 415,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
});

export const onRequest = sequence(language, formBodiesOnly, session);
