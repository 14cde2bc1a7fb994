/**
 * How search reads text, the same when a document is indexed and when a reader types:
 * Unicode NFKC, lower case, `ё` read as `е`, and words split at anything that is not a
 * letter or a digit (Kazakh letters are letters, so they stay whole).
 */

/** The longest word search keeps; longer runs (hashes, pasted junk) are cut. */
export const MAX_WORD_LENGTH = 40;

/** Lower case, NFKC, `ё` → `е`. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replaceAll('ё', 'е');
}

/** One word as found in the text: where it starts and ends (in the original) and its normal form. */
export interface WordSpan {
  word: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * The words of a text with their places, for snippets. Normalising may change a word's
 * length (NFKC), so each word is normalised on its own and its place is the original's.
 */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = normaliseText(match[0]).replace(/\p{M}/gu, '').slice(0, MAX_WORD_LENGTH);
    if (word.length > 0) spans.push({ word, start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/** The normal forms of a text's words, in order (the text normalised once, for indexing: no places). */
export function words(text: string): string[] {
  const found: string[] = [];
  const normal = normaliseText(text);
  // Most texts have no combining marks left after NFKC: then no word needs them taken out.
  const marked = MARK.test(normal);
  for (const match of normal.matchAll(WORD)) {
    const word = (marked ? match[0].replace(MARKS, '') : match[0]).slice(0, MAX_WORD_LENGTH);
    if (word.length > 0) found.push(word);
  }
  return found;
}

const MARK = /\p{M}/u;
const MARKS = /\p{M}/gu;

const KAZAKH_LETTERS = /[әғқңөұүһі]/;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/** Which alphabet a word is written in: Kazakh Cyrillic (has a letter Russian lacks), Cyrillic, Latin, or other (digits). */
export type Alphabet = 'kazakh' | 'cyrillic' | 'latin' | 'other';

export function alphabetOf(word: string): Alphabet {
  if (KAZAKH_LETTERS.test(word)) return 'kazakh';
  if (CYRILLIC.test(word)) return 'cyrillic';
  if (LATIN.test(word)) return 'latin';
  return 'other';
}
