import { markdownToText } from '~/server/markdown.ts';

/** The most characters of a request's body that the exchange list shows. */
export const REQUEST_EXCERPT_LENGTH = 220;

/**
 * A request's plain-text excerpt, made when the request is written and stored with it
 * (help_requests.excerpt), so lists never parse and sanitise bodies on a view.
 */
export function requestExcerpt(body: string): string {
  return markdownToText(body, REQUEST_EXCERPT_LENGTH);
}
