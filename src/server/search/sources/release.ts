import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';
import { CONTENT_SOURCE } from './content.ts';
import { indicatorCatalogueDocuments, INDICATORS_SOURCE } from './indicators.ts';
import { documentKey, replaceSource } from './store.ts';
import { publicPageLanguages } from '~/server/editorial/store.ts';
import { inTransaction } from './text.ts';

/**
 * What a release brings that is not in the database: the content files (documents the
 * build wrote) and the indicator catalogue. Rewritten only when they differ from what was
 * last written, judged by a fingerprint kept in `search_syncs`; the check and the rewrite
 * share one write transaction, so instances starting together rewrite once.
 */
const RELEASE_SYNC = 'content';

/** The content documents the build wrote, or null when there are none (no build, e.g. in development). */
export function readContentDocuments(file: string): SearchDocument[] | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as SearchDocument[];
}

function fingerprintOf(documents: readonly SearchDocument[]): string {
  return createHash('sha256').update(JSON.stringify(documents)).digest('hex');
}

/**
 * Writes the release's documents unless the same were written last; returns how many
 * were written (0: nothing had changed). Without content documents only the catalogue
 * is checked, and the content rows stay as they are.
 */
export async function syncReleaseDocuments(db: Kysely<Database>, content: readonly SearchDocument[] | null, now = clock.now()): Promise<number> {
  const catalogue = indicatorCatalogueDocuments();
  const fingerprint = fingerprintOf([...(content ?? []), ...catalogue]) + (content === null ? ':no-content' : '');
  return inTransaction(db, async (trx) => {
    const last = await trx.selectFrom('search_syncs').select('fingerprint').where('name', '=', RELEASE_SYNC).executeTakeFirst();
    if (last?.fingerprint === fingerprint) return 0;
    let written = await replaceSource(trx, INDICATORS_SOURCE, catalogue);
    if (content !== null) {
      // A page edited in the portal is found by its published version (source `portal`), not by its file.
      const replaced = new Set((await publicPageLanguages(trx)).map(({ slug, lang }) => documentKey(CONTENT_SOURCE, `pages/${slug}`, lang)));
      written += await replaceSource(trx, CONTENT_SOURCE, replaced.size === 0 ? content : content.filter((document) => !replaced.has(document.key)));
    }
    await trx
      .insertInto('search_syncs')
      .values({ name: RELEASE_SYNC, fingerprint, synced_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ fingerprint, synced_at: now }))
      .execute();
    return written;
  });
}
