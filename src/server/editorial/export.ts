import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { toMarkdownFile } from '~/lib/editorial/markdown-file.ts';
import type { Database } from '~/server/db/schema.ts';

/**
 * `qala content export --to content/`: the published portal items as content files, in
 * the files' own format (`<collection>/<lang>/<slug>.md`, frontmatter and markdown), for
 * associations that keep git as their archive. A file the export wrote before is
 * recognised by its first line and replaced; any other file with the same slug in the
 * collection stops the export with a message naming both (the build would otherwise
 * have two items with one address), except for the association's pages: a page item was
 * started from the page's file and replaces it.
 */

const MARK = '# exported from the Qala portal, item ';

export interface ExportResult {
  written: string[];
}

export class ExportConflictError extends Error {}

function exportedItemId(path: string): number | undefined {
  const second = readFileSync(path, 'utf8').split('\n', 2)[1] ?? '';
  return second.startsWith(MARK) ? Number(second.slice(MARK.length)) : undefined;
}

export async function exportPortalItems(db: Kysely<Database>, target: string): Promise<ExportResult> {
  const rows = await db
    .selectFrom('editorial_published')
    .innerJoin('editorial_items', 'editorial_items.id', 'editorial_published.item_id')
    .select(['editorial_items.id as itemId', 'collection', 'slug', 'lang', 'data', 'body'])
    .where('is_public', '=', 1)
    .orderBy('editorial_items.id')
    .execute();
  // Check every clash before writing anything.
  for (const row of rows) {
    for (const lang of ['kk', 'ru', 'en'] satisfies Language[]) {
      const path = join(target, row.collection, lang, `${row.slug}.md`);
      // A page's portal version replaces its own file on purpose (it was started from it).
      if (row.collection !== 'pages' && existsSync(path) && exportedItemId(path) !== row.itemId) {
        throw new ExportConflictError(`${path} and portal item ${row.itemId} (${row.collection}/${row.slug}) have the same slug; rename one of them`);
      }
    }
  }
  const written: string[] = [];
  for (const row of rows) {
    const folder = join(target, row.collection, row.lang);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${row.slug}.md`);
    const file = toMarkdownFile(JSON.parse(row.data) as Record<string, unknown>, row.body).replace(/^---\n/, `---\n${MARK}${row.itemId}\n`);
    writeFileSync(path, file);
    written.push(path);
  }
  return { written };
}

/** Slugs of the content files of a collection folder (any language), for a start-up check. */
export function contentFileSlugs(contentDir: string, collection: string): Set<string> {
  const slugs = new Set<string>();
  for (const lang of ['kk', 'ru', 'en']) {
    const folder = join(contentDir, collection, lang);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) if (name.endsWith('.md')) slugs.add(name.slice(0, -3));
  }
  return slugs;
}
