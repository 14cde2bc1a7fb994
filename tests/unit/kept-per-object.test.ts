import { describe, expect, it } from 'vitest';
import { keptPerObject } from '~/lib/kept-per-object.ts';

describe('keptPerObject', () => {
  it('works a value out once per object and key, and a new object starts afresh', () => {
    const kept = keptPerObject<object, string, number>();
    let computed = 0;
    const first = {};
    expect(kept(first, 'en', () => ++computed)).toBe(1);
    expect(kept(first, 'en', () => ++computed)).toBe(1);
    expect(kept(first, 'ru', () => ++computed)).toBe(2);
    expect(kept({}, 'en', () => ++computed)).toBe(3);
  });

  it('empties one object’s values once it holds `limit` of them', () => {
    const kept = keptPerObject<object, number, number>(2);
    const owner = {};
    let computed = 0;
    kept(owner, 1, () => ++computed);
    kept(owner, 2, () => ++computed);
    kept(owner, 3, () => ++computed);
    expect(kept(owner, 3, () => ++computed)).toBe(3);
    expect(kept(owner, 1, () => ++computed)).toBe(4);
  });
});
