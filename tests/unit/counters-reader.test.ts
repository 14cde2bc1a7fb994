import { describe, expect, it } from 'vitest';
import { countersReader } from '~/node/counters-reader.ts';
import type { ChangeSerials } from '~/server/cache/changes.ts';

/**
 * src/node/counters-reader.ts: the page cache and the item pages' router share one reader of
 * the change counters; a caller never gets counters from a read that started before the
 * moment it names (the page cache: its request's arrival), so sharing loosens nothing.
 */
function fakeCounters() {
  let editorial = 0;
  const pending: Array<() => void> = [];
  let reads = 0;
  const read = () => {
    reads += 1;
    // What the database holds when the read starts is what it returns.
    const serials = { editorial, towns: 0, cases: 0, indicators: 0, groups: 0, memberships: 0, threads: 0 } as ChangeSerials;
    return new Promise<ChangeSerials>((resolve) => pending.push(() => resolve(serials)));
  };
  return {
    read,
    change: () => (editorial += 1),
    finish: () => pending.splice(0).forEach((resolve) => resolve()),
    reads: () => reads,
  };
}

describe('the shared reader of the change counters', () => {
  it('shares a read in flight with callers it is fresh enough for, and starts a new one for a caller that arrived after it started', async () => {
    const counters = fakeCounters();
    const reader = countersReader(counters.read);
    const arrivedBefore = performance.now();
    const first = reader.read(arrivedBefore);
    const sameRead = reader.read(arrivedBefore);
    expect(counters.reads()).toBe(1);
    // A change committed, then a request arrives: the read in flight started too early for it.
    counters.change();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const arrivedAfter = performance.now();
    const second = reader.read(arrivedAfter);
    expect(counters.reads()).toBe(2);
    counters.finish();
    expect((await first).editorial).toBe(0);
    expect((await sameRead).editorial).toBe(0);
    expect((await second).editorial).toBe(1);
  });

  it('serves the last read to a caller accepting one that old (the router), never to one asking for newer', async () => {
    const counters = fakeCounters();
    const reader = countersReader(counters.read);
    const asked = performance.now();
    const read = reader.read(asked);
    counters.finish();
    await read;
    expect(reader.latest(asked - 250)).toEqual(await read);
    expect(await reader.read(asked - 250)).toEqual(await read);
    expect(counters.reads()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const later = performance.now();
    expect(reader.latest(later)).toBeUndefined();
    counters.change();
    const fresh = reader.read(later);
    counters.finish();
    expect((await fresh).editorial).toBe(1);
    expect(counters.reads()).toBe(2);
  });

  it('a failed read serves no caller after it', async () => {
    let fail = true;
    const reader = countersReader(async () => {
      if (fail) throw new Error('database away');
      return { editorial: 3, towns: 0, cases: 0, indicators: 0, groups: 0, memberships: 0, threads: 0 };
    });
    await expect(reader.read(performance.now())).rejects.toThrow('database away');
    fail = false;
    expect(reader.latest(-Infinity)).toBeUndefined();
    expect((await reader.read(performance.now())).editorial).toBe(3);
  });
});
