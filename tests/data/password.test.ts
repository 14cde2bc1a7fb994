import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '~/server/auth/password.ts';

describe('passwords', () => {
  it('are hashed with Argon2id at OWASP’s minimum cost or more', async () => {
    const hash = await hashPassword('correct horse battery');
    const match = hash.match(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(19456);
    expect(Number(match![2])).toBeGreaterThanOrEqual(2);
    expect(Number(match![3])).toBe(1);
    expect(hash).not.toContain('correct horse battery');
  });

  it('verify only the right password, and a malformed hash is just a mismatch', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'Correct horse battery')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });

  it('many checks at once all finish (the concurrency cap queues them)', async () => {
    const hash = await hashPassword('queue me please');
    const results = await Promise.all(Array.from({ length: 12 }, () => verifyPassword(hash, 'queue me please')));
    expect(results.every(Boolean)).toBe(true);
  });

  it.each([
    ['short7!', 'password.tooShort'],
    ['x'.repeat(129), 'password.tooLong'],
    [' '.repeat(12), 'password.onlySpaces'],
    ['\t \u00a0   \t  ', 'password.onlySpaces'],
    ['password1', 'password.common'],
    ['Qwertyuiop', 'password.common'],
    ['iloveyou123', 'password.common'],
    ['password123456', 'password.guessable'],
    ['password12345', 'password.guessable'],
    ['Qwerty123!', 'password.guessable'],
    ['abcdefgh', 'password.guessable'],
    ['x'.repeat(64), 'password.guessable'],
    ['eight ch', 'password.guessable'],
    ['johnsmith1985', 'password.guessable'],
    // Russian common passwords, typed on the ЙЦУКЕН layout: "gfhjkm123456", "qwerty123".
    ['пароль123456', 'password.guessable'],
    ['йцукен123', 'password.guessable'],
  ])('refuse %j (%s)', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it.each(['no composition rules needed', 'steel works by the lake 1960', 'ұзын қазақша құпиясөз', 'мой пароль очень длинный', 'Ridder-zinc-mountain-river', 'ab7#Qp-2x!Lm', 'correct horse battery staple '.repeat(4).slice(0, 128)])(
    'accept %j: a good passphrase passes, and up to 128 characters are allowed',
    (password) => {
      expect(passwordProblem(password)).toBeNull();
    },
  );

  it('the demo password passes the policy too, though the seed does not ask it', () => {
    expect(passwordProblem('demo-qala-2026')).toBeNull();
  });

  it('a long password is judged quickly (the estimator runs on every change)', () => {
    const started = performance.now();
    passwordProblem('a1!'.repeat(42));
    passwordProblem('пароль'.repeat(21));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('count characters, not bytes, for the length rule', () => {
    expect(passwordProblem('жжжжжжж')).toBe('password.tooShort');
    expect(passwordProblem('жжжжжжжж')).not.toBe('password.tooShort');
  });
});
