import { describe, expect, it } from 'vitest';
import { pageWindow } from '~/lib/page-window.ts';

describe('pageWindow (the page links a list shows)', () => {
  it('shows every page while there are at most seven', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(3, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('shows the first, the last and two on each side of the current page, with gaps between', () => {
    expect(pageWindow(1, 1000)).toEqual([1, 2, 3, 'gap', 1000]);
    expect(pageWindow(500, 1000)).toEqual([1, 'gap', 498, 499, 500, 501, 502, 'gap', 1000]);
    expect(pageWindow(1000, 1000)).toEqual([1, 'gap', 998, 999, 1000]);
  });

  it('never puts a gap where it would stand for one page only', () => {
    expect(pageWindow(4, 20)).toEqual([1, 2, 3, 4, 5, 6, 'gap', 20]);
    expect(pageWindow(5, 20)).toEqual([1, 2, 3, 4, 5, 6, 7, 'gap', 20]);
    expect(pageWindow(6, 20)).toEqual([1, 'gap', 4, 5, 6, 7, 8, 'gap', 20]);
    expect(pageWindow(17, 20)).toEqual([1, 'gap', 15, 16, 17, 18, 19, 20]);
  });

  it('a page past the end shows the links around the last page, to lead back', () => {
    expect(pageWindow(99_999, 50)).toEqual([1, 'gap', 48, 49, 50]);
    expect(pageWindow(99_999, 3)).toEqual([1, 2, 3]);
  });

  it('always shows the first page, the last and the current one, and at most nine links', () => {
    for (const pages of [8, 9, 10, 57, 1000]) {
      for (let page = 1; page <= pages; page++) {
        const numbers = pageWindow(page, pages).filter((entry): entry is number => entry !== 'gap');
        expect(numbers[0]).toBe(1);
        expect(numbers.at(-1)).toBe(pages);
        expect(numbers).toContain(page);
        expect(numbers.length).toBeLessThanOrEqual(9);
      }
    }
  });
});
