import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemRussian } from '@orama/stemmers/russian';
import type { Language } from '~/i18n/languages.ts';
import { alphabetOf } from './text.ts';
import { stemKazakh } from './kazakh-stemmer.ts';

/**
 * Index terms: a word's stem, tagged with the stemmer that made it — `k` Kazakh, `r`
 * Russian, `e` English (every Latin-script word), `n` numbers and other scripts. The tag
 * keeps stemmers apart: Russian rules read the Kazakh "жылу" (heat) as "жыл", which is
 * the Kazakh word for year; tagged, `rжыл` never meets `kжыл`. Tags are Latin letters,
 * so a term is one word for SQLite's FTS5 tokenizer too.
 */

/**
 * Terms already made, by language and word: words repeat (a few thousand make most of any
 * text), and the Snowball stemmers cost some 20 µs a word. A pure function's results, the
 * same in every process; emptied when it grows past MAX_REMEMBERED.
 */
const remembered = new Map<string, string>();
const MAX_REMEMBERED = 200_000;

/** The term a document's word is indexed under; the document's language decides for Cyrillic words without Kazakh letters. */
export function indexTerm(word: string, lang: Language): string {
  const key = `${lang}${word}`;
  const known = remembered.get(key);
  if (known !== undefined) return known;
  const term = termOf(word, lang);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(key, term);
  return term;
}

function termOf(word: string, lang: Language): string {
  switch (alphabetOf(word)) {
    case 'kazakh':
      return `k${stemKazakh(word)}`;
    case 'cyrillic':
      return lang === 'kk' ? `k${stemKazakh(word)}` : `r${stemRussian(word)}`;
    case 'latin':
      return `e${stemEnglish(word)}`;
    default:
      return `n${word}`;
  }
}

/** The terms a typed word may mean: a reader's Cyrillic word may be Russian or Kazakh. */
export function queryTerms(word: string): string[] {
  switch (alphabetOf(word)) {
    case 'kazakh':
      return [`k${stemKazakh(word)}`];
    case 'cyrillic': {
      const kazakh = `k${stemKazakh(word)}`;
      const russian = `r${stemRussian(word)}`;
      return [russian, kazakh];
    }
    case 'latin':
      return [`e${stemEnglish(word)}`];
    default:
      return [`n${word}`];
  }
}
