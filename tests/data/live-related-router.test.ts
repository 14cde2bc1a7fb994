import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveRelatedRouter } from '~/node/live-related.ts';
import { changeSerials, recordChange, stampOf } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { LIVE_RELATED_AREAS } from '~/server/knowledge/live-related-pages.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * src/node/live-related.ts on its own: a prerendered item page is served as built only
 * while the process holds the set of affected pages for the current change counters;
 * while that set is being computed (in the background, after a start or a change) every
 * item page is rendered on demand, so none whose related items the database changed is
 * served stale.
 */
let db: Kysely<Database>;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterAll(() => cleanup());

const AFFECTED = '/ru/resources/heating-guide/';
const UNAFFECTED = '/en/news/youth-forum/';
const addresses: Array<readonly [string, string]> = [AFFECTED, UNAFFECTED].map((page) => [page, `${page}index.html`] as const);
const currentStamp = async () => stampOf(await changeSerials(db), LIVE_RELATED_AREAS);

describe('routing prerendered item pages', () => {
  it('renders every item page on demand (asking for the set) until the set for the current counters is offered', async () => {
    const router = liveRelatedRouter({ db, addresses, reuseMs: 0 });
    expect(await router.route(AFFECTED)).toBe('ask');
    expect(await router.route(UNAFFECTED)).toBe('ask');
    // Still being computed (nothing offered): asked again, never served as built.
    expect(await router.route(UNAFFECTED)).toBe('ask');
    router.offer({ stamp: await currentStamp(), affected: new Set([AFFECTED]) });
    expect(await router.route(AFFECTED)).toBe('render');
    expect(await router.route(UNAFFECTED)).toBe('static');
  });

  it('after a change, no page is served as built until the new set is offered, an older set arriving late included', async () => {
    const router = liveRelatedRouter({ db, addresses, reuseMs: 0 });
    const before = await currentStamp();
    router.offer({ stamp: before, affected: new Set() });
    expect(await router.route(AFFECTED)).toBe('static');
    await recordChange(db, 'editorial');
    expect(await router.route(AFFECTED)).toBe('ask');
    expect(await router.route(UNAFFECTED)).toBe('ask');
    // A computation started before the change finishing now changes nothing.
    router.offer({ stamp: before, affected: new Set() });
    expect(await router.route(AFFECTED)).toBe('ask');
    router.offer({ stamp: await currentStamp(), affected: new Set([AFFECTED]) });
    expect(await router.route(AFFECTED)).toBe('render');
    expect(await router.route(UNAFFECTED)).toBe('static');
  });
});
