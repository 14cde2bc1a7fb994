import { describe, expect, it } from 'vitest';
import { BoundedCache } from '~/lib/bounded-cache.ts';

describe('BoundedCache', () => {
  const lengths = (key: string, value: string) => key.length + value.length;

  it('computes a value once and then returns the kept one', () => {
    const cache = new BoundedCache<string, string>(100, lengths);
    let computed = 0;
    const upper = (key: string) => {
      computed += 1;
      return key.toUpperCase();
    };
    expect(cache.get('abc', upper)).toBe('ABC');
    expect(cache.get('abc', upper)).toBe('ABC');
    expect(computed).toBe(1);
    expect(cache.size).toBe(6);
  });

  it('drops the least recently used values when past its limit, never more than it holds', () => {
    const cache = new BoundedCache<string, string>(12, lengths);
    const same = (key: string) => key;
    cache.get('aaa', same); // 6
    cache.get('bbb', same); // 12
    cache.get('aaa', same); // aaa is now the most recently used
    cache.get('ccc', same); // 18 > 12: bbb goes
    expect(cache.size).toBeLessThanOrEqual(12);
    expect(cache.count).toBe(2);
    let recomputed = false;
    cache.get('aaa', (key) => ((recomputed = true), key));
    expect(recomputed).toBe(false);
    cache.get('bbb', (key) => ((recomputed = true), key));
    expect(recomputed).toBe(true);
  });

  it('does not keep a value larger than the whole limit', () => {
    const cache = new BoundedCache<string, string>(10, lengths);
    cache.get('a', () => 'x');
    expect(cache.get('big', () => 'y'.repeat(20))).toHaveLength(20);
    expect(cache.count).toBe(1);
    expect(cache.size).toBe(2);
  });

  it('finds, sets and deletes by key (as the page cache does), and keeps nothing larger than largestEntry', () => {
    const cache = new BoundedCache<string, string>(20, lengths, { largestEntry: 8 });
    expect(cache.find('aaa')).toBeUndefined();
    cache.set('aaa', 'one'); // 6
    cache.set('bbb', 'two'); // 12
    expect(cache.find('aaa')).toBe('one'); // aaa is now the most recently used
    cache.set('ccc', 'xx'); // 17
    cache.set('ddd', 'yy'); // 22 > 20: bbb goes
    expect(cache.find('bbb')).toBeUndefined();
    expect(cache.count).toBe(3);
    expect(cache.size).toBe(16);
    cache.set('ccc', 'xyz'); // replaced: 17
    expect(cache.size).toBe(17);
    cache.set('aaa', 'far too large'); // 16 > 8: not kept, the kept one stays
    expect(cache.find('aaa')).toBe('one');
    cache.delete('aaa');
    cache.delete('aaa');
    expect(cache.find('aaa')).toBeUndefined();
    expect(cache.size).toBe(11);
  });
});
