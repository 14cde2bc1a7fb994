import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';

/** Knowledge-centre sections by URL segment → content collection (see src/lib/knowledge/sections.ts). */
const SECTION_COLLECTIONS: Record<string, string> = { resources: 'resources', cases: 'cases', funding: 'programmes', news: 'news', events: 'events' };

/**
 * Reads a knowledge-centre item from what a lead pasted: a full URL of this site, a
 * path (`/en/resources/planning-without-experts/`) or `resources/planning-without-experts`.
 * Returns the collection and slug, or undefined when it does not look like an item.
 * Whether the item exists is checked against the content by the caller.
 */
export function parseItemReference(input: string): { collection: string; slug: string } | undefined {
  let path = input.trim();
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return undefined;
    }
  }
  const match = /^\/?(?:(?:kk|ru|en)\/)?([a-z]+)\/([a-z0-9][a-z0-9-]{0,120})\/?$/.exec(path);
  if (!match) return undefined;
  const collection = SECTION_COLLECTIONS[match[1]!];
  return collection ? { collection, slug: match[2]! } : undefined;
}

/** Whether a link is an absolute http(s) URL (nothing else may be pinned as a link). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A group's pinned resources, oldest first. */
export function listResources(db: Kysely<Database>, groupId: number) {
  return db.selectFrom('group_resources').select(['id', 'kind', 'target', 'title', 'created_at']).where('group_id', '=', groupId).orderBy('id').execute();
}

/** Pins a resource; 'duplicate' when the same target is already pinned. */
export async function pinResource(
  db: Kysely<Database>,
  input: { groupId: number; kind: 'item' | 'link'; target: string; title: string | null; createdBy: string },
  now = clock.now(),
): Promise<{ ok: true; id: number } | { ok: false; problem: 'duplicate' }> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('group_resources').select('id').where('group_id', '=', input.groupId).where('target', '=', input.target).executeTakeFirst();
    if (existing) return { ok: false as const, problem: 'duplicate' as const };
    const row = await trx
      .insertInto('group_resources')
      .values({ group_id: input.groupId, kind: input.kind, target: input.target, title: input.title?.trim() || null, created_by: input.createdBy, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ok: true as const, id: row.id };
  });
}

/** Unpins a resource of this group. */
export async function unpinResource(db: Kysely<Database>, groupId: number, resourceId: number): Promise<boolean> {
  const result = await db.deleteFrom('group_resources').where('id', '=', resourceId).where('group_id', '=', groupId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
