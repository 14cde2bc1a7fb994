import { describe, expect, it } from 'vitest';
import { isAccountId, isSlug, MAX_ID, parseId } from '~/lib/ids.ts';

describe('parseId, the one rule for ids in URLs and forms', () => {
  it('reads plain positive whole numbers up to a 32-bit integer', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('42')).toBe(42);
    expect(parseId(String(MAX_ID))).toBe(MAX_ID);
  });

  it('refuses everything else', () => {
    for (const text of [undefined, null, '', '0', '007', '-1', '1.0', '1e3', ' 5', '5 ', 'abc', "1' OR '1'='1", String(MAX_ID + 1), '99999999999999']) {
      expect(parseId(text), String(text)).toBeNull();
    }
  });
});

describe('slugs and account ids in URLs', () => {
  it('a slug is lower-case Latin letters, digits and hyphens', () => {
    for (const text of ['temirtau', 'utilities-renewal', 'ust-kamenogorsk-2']) expect(isSlug(text), text).toBe(true);
    for (const text of [undefined, '', '-x', 'Temirtau', 'a\u0000b', 'a/b', 'a%2Fb', 'тараз', 'a'.repeat(121)]) expect(isSlug(text), String(text)).toBe(false);
  });

  it('an account id is what lucia makes, nothing else', () => {
    expect(isAccountId('7MRnnYD9RyGfef0P3AhL')).toBe(true);
    for (const text of [undefined, '', 'short', '7MRnnYD9Ry\u0000ef0P3AhL', '../../etc/passwd', 'a'.repeat(41)]) expect(isAccountId(text), String(text)).toBe(false);
  });
});
