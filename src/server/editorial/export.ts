import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { toMarkdownFile } from '~/lib/editorial/markdown-file.ts';
import type { Database } from '~/server/db/schema.ts';
import { readFileBytes } from '~/server/files/files.ts';
import { publishedEditorialFiles } from './files.ts';

/**
 * `qala content export --to content/`: the published portal items as content files, in
 * the files' own format (`<collection>/<lang>/<slug>.md`, frontmatter and markdown), for
 * associations that keep git as their archive. A file the export wrote before is
 * recognised by its first line and replaced; any other file with the same slug in the
 * collection stops the export with a message naming both (the build would otherwise
 * have two items with one address), except for the association's pages: a page item was
 * started from the page's file and replaces it.
 *
 * The files to download of each item's published version go beside them, once per item,
 * in `<collection>/files/<slug>/` (outside the `<lang>/*.md` pattern the build reads),
 * and each markdown file names them in YAML comments after its first line. File items
 * have no downloads of their own: README (Editorial workspace: export) says how an
 * association serves them from `public/` and links them from the text.
 */

const MARK = '# exported from the Qala portal, item ';
const FILE_MARK = '# file to download: ';

export interface ExportResult {
  /** The markdown files written. */
  written: string[];
  /** The files to download written, beside them. */
  files: string[];
}

/** A stored file's name as a file name in the export: no folders, nothing hidden, never empty. */
function exportedName(name: string, taken: Set<string>, id: number): string {
  const plain = name.replace(/[\\/\u0000-\u001f]/g, '_').replace(/^\.+/, '').slice(-180) || `file-${id}`;
  const unique = taken.has(plain) ? `${id}-${plain}` : plain;
  taken.add(unique);
  return unique;
}

/** Writes the published version's files of item `itemId` to `<target>/<collection>/files/<slug>/`; their names there. */
async function exportItemFiles(db: Kysely<Database>, target: string, item: { itemId: number; collection: string; slug: string }): Promise<Array<{ name: string; path: string }>> {
  const files = await publishedEditorialFiles(db, item.itemId);
  if (files.length === 0) return [];
  const folder = join(target, item.collection, 'files', item.slug);
  mkdirSync(folder, { recursive: true });
  const taken = new Set<string>();
  const written: Array<{ name: string; path: string }> = [];
  for (const file of files) {
    const bytes = await readFileBytes(db, file.id);
    if (!bytes) continue;
    const name = exportedName(file.name, taken, file.id);
    writeFileSync(join(folder, name), bytes);
    written.push({ name, path: join(folder, name) });
  }
  return written;
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
  const downloads = new Map<number, Array<{ name: string; path: string }>>();
  for (const row of rows) {
    let files = downloads.get(row.itemId);
    if (!files) {
      files = await exportItemFiles(db, target, row);
      downloads.set(row.itemId, files);
    }
    const folder = join(target, row.collection, row.lang);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${row.slug}.md`);
    const header = [`${MARK}${row.itemId}`, ...files.map((file) => `${FILE_MARK}../files/${row.slug}/${file.name}`)].join('\n');
    const file = toMarkdownFile(JSON.parse(row.data) as Record<string, unknown>, row.body).replace(/^---\n/, `---\n${header}\n`);
    writeFileSync(path, file);
    written.push(path);
  }
  return { written, files: [...downloads.values()].flat().map((file) => file.path) };
}
