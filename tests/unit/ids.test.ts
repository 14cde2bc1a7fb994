import { describe, expect, it } from 'vitest';
import { MAX_ID, parseId } from '~/lib/ids.ts';

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
