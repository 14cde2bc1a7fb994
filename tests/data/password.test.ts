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
    ['password1', 'password.common'],
    ['Qwertyuiop', 'password.common'],
    ['iloveyou123', 'password.common'],
  ])('refuse %s (%s)', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it.each(['eight ch', 'no composition rules needed', 'ұзын қазақша құпиясөз', 'x'.repeat(64), 'x'.repeat(128)])(
    'accept %s: length is the only rule, and at least 64 characters are allowed',
    (password) => {
      expect(passwordProblem(password)).toBeNull();
    },
  );

  it('count characters, not bytes, for the length rule', () => {
    expect(passwordProblem('жжжжжжж')).toBe('password.tooShort');
    expect(passwordProblem('жжжжжжжж')).toBeNull();
  });
});
