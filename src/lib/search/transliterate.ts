/**
 * Latin ↔ Cyrillic, loosely, for names typed in the other alphabet ("temirtau" →
 * "темиртау", "Экибастуз" → "ekibastuz"). Not a standard: only good enough that the
 * result is within one typo of the real spelling, which the spelling lookup then finds.
 */

const LATIN_DIGRAPHS: ReadonlyArray<[string, string]> = [
  ['shch', 'щ'], ['sch', 'щ'], ['zh', 'ж'], ['kh', 'х'], ['ch', 'ч'], ['sh', 'ш'], ['ts', 'ц'],
  ['yu', 'ю'], ['ya', 'я'], ['yo', 'е'], ['ye', 'е'], ['iy', 'ий'],
];
const LATIN_LETTERS: Record<string, string> = {
  a: 'а', b: 'б', c: 'к', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'ж', k: 'к', l: 'л', m: 'м',
  n: 'н', o: 'о', p: 'п', q: 'к', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'у', x: 'кс', y: 'ы', z: 'з',
};
const CYRILLIC_LETTERS: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  ә: 'a', ғ: 'g', қ: 'k', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i',
};

/** A lower-case Latin word in Cyrillic letters. */
export function latinToCyrillic(word: string): string {
  // A Latin word starting with e is usually a Cyrillic э ("Ekibastuz" — "Экибастуз").
  let out = word.startsWith('e') ? 'э' : '';
  let index = out === '' ? 0 : 1;
  outer: while (index < word.length) {
    for (const [latin, cyrillic] of LATIN_DIGRAPHS) {
      if (word.startsWith(latin, index)) {
        out += cyrillic;
        index += latin.length;
        continue outer;
      }
    }
    const letter = word[index]!;
    out += LATIN_LETTERS[letter] ?? letter;
    index += 1;
  }
  return out;
}

/** A lower-case Cyrillic (Russian or Kazakh) word in Latin letters. */
export function cyrillicToLatin(word: string): string {
  let out = '';
  for (const letter of word) out += CYRILLIC_LETTERS[letter] ?? letter;
  return out;
}
