/**
 * A suffix-aware stemmer for Kazakh. Kazakh words grow by suffixes in a fixed order —
 * stem + plural + possessive + case — each with vowel-harmony variants (back vowels take
 * -лар/-дың/-ға, front vowels -лер/-дің/-ге). This strips at most one suffix of each
 * kind, from the end, only when:
 *   - the suffix agrees in harmony with the last vowel of what remains,
 *   - what remains has at least MIN_STEM letters and a vowel,
 * and never strips a lone vowel a word may simply end in (only the possessive -ы/-і after
 * a consonant). So "жылу" (heat) stays "жылу" and its forms "жылумен", "жылудың" become
 * "жылу", while "жыл" (year), "жылы", "жылдар" become "жыл": the two never meet.
 */

const MIN_STEM = 3;
const BACK = new Set([...'аоұыя']);
const FRONT = new Set([...'әеөүіэ']);
const VOWELS = new Set([...'аәеоөұүыіиэюяу']);
// A vowel the possessive -ы/-і may not follow ("қала" + ы is "қаласы", handled by -сы).
const TRUE_VOWELS = new Set([...'аәеоөұүыіиэюя']);

type Harmony = 'back' | 'front' | 'any';

// The instrumental -мен/-бен/-пен does not follow harmony.
const HARMONY_FREE = new Set(['менен', 'бенен', 'пенен', 'мен', 'бен', 'пен']);

function harmonyOf(suffix: string): Harmony {
  if (HARMONY_FREE.has(suffix)) return 'any';
  for (const letter of suffix) {
    if (BACK.has(letter)) return 'back';
    if (FRONT.has(letter)) return 'front';
  }
  return 'any';
}

/** The harmony a stem asks for: its last back or front vowel (и, у and others say nothing). */
function stemHarmony(stem: string): Harmony {
  for (let index = stem.length - 1; index >= 0; index -= 1) {
    const letter = stem[index]!;
    if (BACK.has(letter)) return 'back';
    if (FRONT.has(letter)) return 'front';
  }
  return 'any';
}

function hasVowel(text: string): boolean {
  for (const letter of text) if (VOWELS.has(letter)) return true;
  return false;
}

// Longest first within each kind, so "-ның" is tried before "-ң".
const CASE_SUFFIXES = [
  // instrumental
  'менен', 'бенен', 'пенен', 'мен', 'бен', 'пен',
  // ablative
  'нан', 'нен', 'дан', 'ден', 'тан', 'тен',
  // genitive
  'ның', 'нің', 'дың', 'дің', 'тың', 'тің',
  // locative
  'нда', 'нде', 'да', 'де', 'та', 'те',
  // dative
  'на', 'не', 'ға', 'ге', 'қа', 'ке',
  // accusative
  'ны', 'ні', 'ды', 'ді', 'ты', 'ті',
  // accusative after a possessive (қаласын)
  'н',
];
const AFTER_POSSESSIVE = new Set(['на', 'не', 'нда', 'нде', 'н']);
const POSSESSIVE_SUFFIXES = ['ымыз', 'іміз', 'ыңыз', 'іңіз', 'мыз', 'міз', 'ңыз', 'ңіз', 'сы', 'сі', 'ым', 'ім', 'ың', 'ің', 'ы', 'і'];
const PLURAL_SUFFIXES = ['лар', 'лер', 'дар', 'дер', 'тар', 'тер'];

// Ends that are part of a stem far more often than a suffix, when the stem would be short.
function mayStrip(stem: string, suffix: string): boolean {
  if (stem.length < MIN_STEM || !hasVowel(stem)) return false;
  const wanted = harmonyOf(suffix);
  const found = stemHarmony(stem);
  if (wanted !== 'any' && found !== 'any' && wanted !== found) return false;
  const before = stem[stem.length - 1]!;
  // Case forms that begin with н follow a possessive -ы/-і ("қаласына", "қаласында");
  // -нан/-нен also a nasal ("ауданнан"). Elsewhere "-на" is a stem's end ("Астана").
  if (AFTER_POSSESSIVE.has(suffix) && before !== 'ы' && before !== 'і') return false;
  if ((suffix === 'нан' || suffix === 'нен') && !'ыімнң'.includes(before)) return false;
  // A one-letter suffix (-ы/-і, -н) only after what it can follow: -ы/-і after a
  // consonant, -н after a vowel (the accusative after a possessive, "қаласын").
  if (suffix.length === 1) {
    if (suffix === 'н') return true;
    return !TRUE_VOWELS.has(before);
  }
  return true;
}

function stripOne(word: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    if (word.length > suffix.length && word.endsWith(suffix)) {
      const stem = word.slice(0, -suffix.length);
      if (mayStrip(stem, suffix)) return stem;
    }
  }
  return word;
}

/** The stem of a normalised Kazakh word (lower case). */
export function stemKazakh(word: string): string {
  let stem = stripOne(word, CASE_SUFFIXES);
  stem = stripOne(stem, POSSESSIVE_SUFFIXES);
  stem = stripOne(stem, PLURAL_SUFFIXES);
  return stem;
}
