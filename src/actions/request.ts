import { ActionError, type ActionAPIContext } from 'astro:actions';
import { isLanguage, type Language } from '~/i18n/index.ts';
import { config, publicOrigin } from '~/server/config.ts';
import { db } from '~/server/db/index.ts';
import { mailer } from '~/server/mail/index.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { consumeRateLimit, type RateLimitRule } from '~/server/rate-limit.ts';

/** Where a request came from: the Node entry's socket address; Astro's own in `astro dev`. */
export function requestClientAddress(context: ActionAPIContext): string {
  return context.locals.clientAddress ?? (import.meta.env.DEV ? context.clientAddress : 'unknown');
}

/**
 * The origin links in emails point to, from configuration only (see `publicOrigin`):
 * a forged Host header can never redirect a reset link.
 */
export function publicBaseUrl(): string {
  return publicOrigin(config());
}

/** What a domain workflow needs to tell people: the process's mailer and the links' origin. */
export function notifier(): Notifier {
  return { mailer: mailer(), baseUrl: publicBaseUrl() };
}

/** The language of the page the form was posted from. */
export function requestLanguage(context: ActionAPIContext): Language {
  return isLanguage(context.params.lang) ? context.params.lang : 'kk';
}

/**
 * Counts one write under `key` and refuses with 429 and `message` past the rule, so
 * one member cannot flood the others.
 */
export async function throttle(key: string, rule: RateLimitRule, message: string): Promise<void> {
  const limit = await consumeRateLimit(db(), key, rule);
  if (!limit.allowed) throw new ActionError({ code: 'TOO_MANY_REQUESTS', message });
}
