/**
 * Typo tolerance by deletion neighbourhoods (SymSpell): a known word is stored with
 * every form of it missing one letter; a typed word's own forms missing one letter are
 * looked up among them. Two words one edit apart (a letter wrong, missing, extra, or two
 * swapped) always share such a form; each candidate is then checked with the real
 * distance, so only words at Damerau–Levenshtein distance 1 are taken.
 */

/** Typed words shorter than this are taken as typed: short words have too many neighbours. */
export const MIN_TYPO_LENGTH = 5;
/** Known words shorter than this get no neighbourhood (a 5-letter typo with an extra letter may mean a 4-letter word). */
export const MIN_SPELLING_LENGTH = MIN_TYPO_LENGTH - 1;

/** The word and each form of it missing one letter. */
export function deletionVariants(word: string): string[] {
  const letters = [...word];
  const variants = new Set([word]);
  for (let index = 0; index < letters.length; index += 1) variants.add([...letters.slice(0, index), ...letters.slice(index + 1)].join(''));
  return [...variants];
}

/** The forms missing one or two letters, for "did you mean" (two edits). */
export function deletionVariantsTwice(word: string): string[] {
  const variants = new Set<string>();
  for (const once of deletionVariants(word)) for (const twice of deletionVariants(once)) variants.add(twice);
  return [...variants];
}

/** Damerau–Levenshtein distance (optimal string alignment), by letters, not UTF-16 units. */
export function editDistance(left: string, right: string): number {
  const a = [...left];
  const b = [...right];
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

const KAZAKH_TO_RUSSIAN: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };

/**
 * A Cyrillic word with Kazakh letters read as the Russian letters people type for them
 * ("Теміртау" → "темиртау"): names spelt the Kazakh or the Russian way find each other.
 */
export function foldKazakhLetters(word: string): string {
  let out = '';
  for (const letter of word) out += KAZAKH_TO_RUSSIAN[letter] ?? letter;
  return out;
}
