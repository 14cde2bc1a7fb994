import { afterEach, describe, expect, it } from 'vitest';
import { now, setClock } from '~/lib/clock.ts';

afterEach(() => setClock(null));

describe('the clock', () => {
  it('tells whole seconds since the epoch', () => {
    const before = Math.floor(Date.now() / 1000);
    const seconds = now();
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(before + 1);
  });

  it('stands still where a test sets it, and runs again when released', () => {
    setClock(1_800_000_000);
    expect(now()).toBe(1_800_000_000);
    setClock(null);
    expect(Math.abs(now() - Date.now() / 1000)).toBeLessThan(2);
  });
});
