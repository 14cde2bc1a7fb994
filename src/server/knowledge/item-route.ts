import type { Kysely } from 'kysely';
import { isKnowledgeEditorialCollection } from '~/lib/editorial/frontmatter.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import { findCaseBySlug } from '~/server/cases/cases.ts';
import type { ChangeArea } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { findEditorialSlug } from '~/server/editorial/store.ts';
import { findItem, type KnowledgeItem } from './items.ts';

/** What an item's address shows: the item, a withdrawn item (410 Gone), or nothing (404). */
export type ItemRoute = { status: 200; item: KnowledgeItem } | { status: 410; reason: string | null } | { status: 404 };

/**
 * What an item page shows besides its own text: related items of every section, so
 * portal items (`editorial`), member cases and their towns' names (`cases`, `towns`).
 * Kept for anonymous readers until one of these changes (the feedback form under the
 * page holds nothing per reader: Astro's origin check protects its POST).
 */
export const ITEM_PAGE_AREAS: readonly ChangeArea[] = ['editorial', 'cases', 'towns'];

const SLUG = /^[a-z0-9-]{1,120}$/;

/**
 * Resolves `/<lang>/<section>/<slug>/` on demand, for every source: content files, member
 * towns' published cases and published portal items. A member case or portal item that
 * was withdrawn answers 410, as the reader should drop the address; an unknown one 404.
 */
export async function resolveItemRoute(db: Kysely<Database>, collection: SectionCollection, slug: string): Promise<ItemRoute> {
  if (!SLUG.test(slug)) return { status: 404 };
  const item = await findItem(collection, slug, db);
  if (item) return { status: 200, item };
  if (collection === 'cases') return (await findCaseBySlug(db, slug)) ? { status: 410, reason: null } : { status: 404 };
  if (!isKnowledgeEditorialCollection(collection)) return { status: 404 };
  const portal = await findEditorialSlug(db, slug);
  // Only what was once public is "gone": a draft's address was never published.
  if (portal && portal.collection === collection && portal.state === 'withdrawn' && portal.published_at !== null) return { status: 410, reason: portal.withdrawn_reason };
  return { status: 404 };
}
