import type { Kysely } from 'kysely';
import type { EditorialCollection } from '~/lib/editorial/frontmatter.ts';
import type { Database, EditorialState } from '~/server/db/schema.ts';

/**
 * A portal item's row written by hand, with no text: for tests of what reads only the
 * item (its slug, collection and state), e.g. the slug check against content files.
 */
export async function insertPortalItemRow(db: Kysely<Database>, item: { collection: EditorialCollection; slug: string; state: EditorialState }): Promise<number> {
  const row = await db
    .insertInto('editorial_items')
    .values({
      collection: item.collection,
      slug: item.slug,
      source_lang: 'ru',
      state: item.state,
      version: 1,
      is_public: item.state === 'published' ? 1 : 0,
      publish_at: item.state === 'scheduled' ? 2_000_000_000 : null,
      published_at: item.state === 'published' ? 1 : null,
      withdrawn_at: item.state === 'withdrawn' ? 1 : null,
      withdrawn_reason: item.state === 'withdrawn' ? 'out of date' : null,
      created_by: null,
      updated_by: null,
      created_at: 1,
      updated_at: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
