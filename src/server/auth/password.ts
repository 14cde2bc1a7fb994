import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as commonLanguage from '@zxcvbn-ts/language-common';
import * as englishLanguage from '@zxcvbn-ts/language-en';

/**
 * Argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane). The library's default
 * algorithm is Argon2id; a test checks the hash prefix so a change there shows up.
 */
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Shortest and longest passwords accepted (OWASP ASVS 5: at least 8, at least 64 allowed). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Each hash takes 19 MiB and a core for ~50 ms. Capping how many run at once keeps
 * a burst of sign-ins from exhausting memory; a long queue is refused outright.
 */
const MAX_CONCURRENT_HASHES = 2;
const MAX_WAITING_HASHES = 64;

/** Raised when too many password checks are already waiting. */
export class PasswordHasherBusyError extends Error {}

let running = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    if (waiting.length >= MAX_WAITING_HASHES) throw new PasswordHasherBusyError('Too many password checks waiting');
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, ARGON2_OPTIONS));
}

/** Checks a password against a stored hash; false for a malformed hash rather than an error. */
export function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  return withHashSlot(() => verify(storedHash, password).catch(() => false));
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real check when the email is unknown, so response
 * time does not tell whether an account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('qala-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}

let commonPasswords: Set<string> | undefined;

function isCommonPassword(password: string): boolean {
  // Only entries long enough to pass the length rule can matter.
  commonPasswords ??= new Set(
    commonLanguage.dictionary['passwords-common']
      .filter((entry) => entry.length >= PASSWORD_MIN_LENGTH)
      .map((entry) => entry.toLowerCase()),
  );
  return commonPasswords.has(password.toLowerCase());
}

/**
 * zxcvbn's score runs 0 to 4; 3 means "safely unguessable" for an online attack
 * (about 10^8 guesses or more). Sign-in throttling keeps online guessing far below that.
 */
export const PASSWORD_MIN_SCORE = 3;

/** How much of a password the estimator reads (see guessabilityEstimator). */
const ESTIMATED_LENGTH = 64;

let estimator: ZxcvbnFactory | undefined;

/** zxcvbn with the common passwords, English words and names, and keyboard patterns. */
function guessabilityEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonLanguage.dictionary, ...englishLanguage.dictionary },
    graphs: commonLanguage.adjacencyGraphs,
    // The check is synchronous and grows fast with length; 64 characters that are hard
    // to guess make a strong password whatever follows.
    maxLength: ESTIMATED_LENGTH,
  });
  return estimator;
}

// The Russian ЙЦУКЕН layout over the Latin keys. No maintained Russian dictionary exists
// for zxcvbn-ts, but Russian speakers' common passwords are mostly Latin keystrokes typed
// on this layout ("пароль" is "gfhjkm", "йцукен" is "qwerty"), which the common list has.
const RUSSIAN_KEYS = 'йцукенгшщзхъфывапролджэячсмитьбю';
const LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.";

/** The Latin keys pressed to type `password` on the Russian layout (other characters stay). */
function asLatinKeystrokes(password: string): string {
  return [...password]
    .map((character) => {
      const index = RUSSIAN_KEYS.indexOf(character.toLowerCase());
      return index === -1 ? character : LATIN_KEYS[index]!;
    })
    .join('');
}

/** Whether zxcvbn rates the password (or its Russian-layout keystrokes) as guessable. */
function isGuessable(password: string): boolean {
  const zxcvbn = guessabilityEstimator();
  const candidates = new Set([password, asLatinKeystrokes(password)]);
  return [...candidates].some((candidate) => zxcvbn.check(candidate).score < PASSWORD_MIN_SCORE);
}

/** Why a new password is refused; keys into the i18n dictionaries. */
export type PasswordProblem = 'password.tooShort' | 'password.tooLong' | 'password.onlySpaces' | 'password.common' | 'password.guessable';

/**
 * OWASP ASVS 5 password rules: length, no composition rules, not only spaces, not on a
 * list of ~18,000 common passwords, and not rated weak by zxcvbn (score below
 * PASSWORD_MIN_SCORE). Length counts Unicode code points.
 */
export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'password.tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'password.tooLong';
  if (password.trim() === '') return 'password.onlySpaces';
  if (isCommonPassword(password)) return 'password.common';
  if (isGuessable(password)) return 'password.guessable';
  return null;
}
