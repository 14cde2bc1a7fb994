import type { Kysely } from 'kysely';
import * as pagefind from 'pagefind';
import { createTranslator, type Language } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import { SECTIONS } from '~/lib/knowledge/sections.ts';
import { renderCaseBody } from '~/server/cases/render.ts';
import type { Database } from '~/server/db/schema.ts';
import { errorFields, log } from '~/server/log.ts';
import { isMemberEntry, itemHref, loadItems } from './items.ts';

/**
 * The search index of cases, file and member towns' alike, built at run time with
 * Pagefind's Node API and kept in memory; /pagefind-cases/ serves it and the search page
 * merges it with the build's index of everything else. It is rebuilt when the set of
 * published member cases changes (checked on each request for its entry file, and on a
 * request for a file this server does not have; one small query each time), so every
 * application server finds the same cases without shared files.
 *
 * Several servers behind one load balancer: a browser may read the entry file from one
 * and the files it names from another. That works because Pagefind names every file but
 * the entry by a hash of its content, and the same pages added in the same order give the
 * same bytes (checked across processes with Pagefind 1.6). Fragments do not depend on the
 * order, but the word index and the meta file number the pages in the order they were
 * added: `build` adds them sorted by address, so two servers that read the same published
 * cases write the same file names. A server asked for a file it does not have checks
 * whether the cases changed, rebuilds, and then has it. (Servers running different
 * releases, during a rolling deploy, may index the file cases differently: until all run
 * the same release, a search may miss a file on an older one, which answers 404.)
 */

interface Generation {
  fingerprint: string;
  files: Map<string, Uint8Array>;
  builtInMs: number;
}

let current: Generation | undefined;
/** The generation before, so a search that started on it can still load its fragments. */
let previous: Generation | undefined;
/** The build under way, and the fingerprint it was started for. */
let building: { fingerprint: string; generation: Promise<Generation> } | undefined;

/** What decides the index's content: the published member cases and their versions. */
async function fingerprint(db: Kysely<Database>): Promise<string> {
  const rows = await db
    .selectFrom('member_cases')
    .select(['id', 'published_version', 'published_at'])
    .where('published_content', 'is not', null)
    .where('unpublished_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => `${row.id}.${row.published_version}.${row.published_at}`).join(',');
}

/** One case page as Pagefind reads it: the same body, filters and language as an item page. */
function pageHtml(lang: Language, title: string, summary: string, body: string): string {
  const t = createTranslator(lang);
  return `<!doctype html><html lang="${lang}"><body><article data-pagefind-body data-pagefind-filter="section:${escapeHtml(t(SECTIONS.cases.title))}">`
    + `<span hidden data-pagefind-filter="language">${escapeHtml(t(`language.${lang}`))}</span>`
    + `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(summary)}</p>${body}</article></body></html>`;
}

async function build(db: Kysely<Database>, print: string): Promise<Generation> {
  const started = performance.now();
  const items = await loadItems('cases', db);
  // One index for all languages, as at build time (Pagefind has no Kazakh stemmer).
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'ru' });
  if (!index) throw new Error(`Pagefind: ${errors.join('; ')}`);
  try {
    // Added in address order, whatever order the cases came in: the file names must be
    // the same on every server that indexes the same cases (see the top of this file).
    const pages = items
      .flatMap((item) => item.languages.map((lang) => ({ item, lang, url: itemHref('cases', item.slug, lang) })))
      .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    for (const { item, lang, url } of pages) {
      const entry = item.versions[lang]!;
      const body = isMemberEntry(entry) ? renderCaseBody(entry.member.content, lang).html : 'portal' in entry ? escapeHtml(entry.body) : (entry.rendered?.html ?? escapeHtml(entry.body ?? ''));
      const added = await index.addHTMLFile({ url, content: pageHtml(lang, entry.data.title, entry.data.summary, body) });
      if (added.errors.length > 0) log.warn('case search: page not indexed', { slug: item.slug, errors: added.errors.join('; ') });
    }
    const written = await index.getFiles();
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
    const files = new Map(written.files.map((file) => [file.path.replace(/^\/+/, ''), file.content]));
    const builtInMs = Math.round(performance.now() - started);
    log.info('case search index built', { pages: pages.length, files: files.size, ms: builtInMs });
    return { fingerprint: print, files, builtInMs };
  } finally {
    await index.deleteIndex();
    // Stop Pagefind's helper process between builds; it starts again when needed.
    await pagefind.close();
  }
}

/** The current index, rebuilt first if the published member cases changed. One build at a time. */
export async function freshCaseIndex(db: Kysely<Database>): Promise<Generation> {
  const print = await fingerprint(db);
  if (current?.fingerprint === print) return current;
  if (building && building.fingerprint !== print) {
    // A build for an older set of cases is under way: let it finish, then look again,
    // so a reader who needs the newer cases does not get the older index.
    await building.generation.catch(() => undefined);
    return freshCaseIndex(db);
  }
  if (!building) {
    const started = { fingerprint: print, generation: build(db, print) };
    started.generation = started.generation
      .then((generation) => {
        if (current?.fingerprint !== generation.fingerprint) previous = current;
        current = generation;
        return generation;
      })
      .finally(() => {
        if (building === started) building = undefined;
      });
    building = started;
  }
  return building.generation;
}

/** Rebuilds in the background after a case is published or withdrawn, so the next reader does not wait. */
export function refreshCaseIndex(db: Kysely<Database>): void {
  freshCaseIndex(db).catch((error: unknown) => log.error('case search index failed', errorFields(error)));
}

/**
 * One file of the index, by its path under /pagefind-cases/. The entry file always comes
 * from a fresh index. Any other file comes from this generation or the one before (a
 * search that started on it still loads its files); a file in neither may have been
 * named by another server's newer entry file, so the index is brought up to date first,
 * and only a file still missing is not found.
 */
export async function caseIndexFile(db: Kysely<Database>, path: string): Promise<Uint8Array | undefined> {
  if (path === 'pagefind-entry.json' || !current) return (await freshCaseIndex(db)).files.get(path);
  const known = current.files.get(path) ?? previous?.files.get(path);
  if (known) return known;
  return (await freshCaseIndex(db)).files.get(path) ?? previous?.files.get(path);
}
