import { escapeHtml } from '~/lib/html.ts';
import { wordSpans } from './text.ts';

/** The longest snippet shown under a result, in characters. */
export const SNIPPET_LENGTH = 220;

/**
 * A short passage of `text` around the first matched word, escaped, with every matched
 * word wrapped in `<mark>`. `matches` says whether a word (normal form) is one the reader
 * searched for. Without a match, the text's beginning.
 */
export function snippetHtml(text: string, matches: (word: string) => boolean, length = SNIPPET_LENGTH): string {
  const spans = wordSpans(text);
  const first = spans.find((span) => matches(span.word));
  let start = 0;
  if (first && first.end > length * 0.6) {
    // Start a little before the match, at a word's beginning.
    const wanted = Math.max(0, first.start - Math.floor(length / 3));
    start = spans.find((span) => span.start >= wanted)?.start ?? first.start;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const cut = spans.filter((span) => span.end <= end).at(-1);
    if (cut && cut.end > start) end = cut.end;
  }
  let html = start > 0 ? '… ' : '';
  let at = start;
  for (const span of spans) {
    if (span.start < start || span.end > end) continue;
    if (!matches(span.word)) continue;
    html += `${escapeHtml(text.slice(at, span.start))}<mark>${escapeHtml(text.slice(span.start, span.end))}</mark>`;
    at = span.end;
  }
  html += escapeHtml(text.slice(at, end));
  if (end < text.length) html += ' …';
  return html;
}
