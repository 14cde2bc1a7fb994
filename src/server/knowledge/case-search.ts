import type { Kysely } from 'kysely';
import * as pagefind from 'pagefind';
import { createTranslator, type Language } from '~/i18n/index.ts';
import { SECTIONS } from '~/lib/knowledge/sections.ts';
import { renderCaseBody } from '~/server/cases/render.ts';
import type { Database } from '~/server/db/schema.ts';
import { log } from '~/server/log.ts';
import { isMemberEntry, itemHref, loadItems } from './items.ts';

/**
 * The search index of cases, file and member towns' alike, built at run time with
 * Pagefind's Node API and kept in memory; /pagefind-cases/ serves it and the search page
 * merges it with the build's index of everything else. It is rebuilt when the set of
 * published member cases changes (checked on each request for its entry file, one small
 * query), so every application server finds the same cases without shared files.
 */

interface Generation {
  fingerprint: string;
  files: Map<string, Uint8Array>;
  builtInMs: number;
}

let current: Generation | undefined;
/** The generation before, so a search that started on it can still load its fragments. */
let previous: Generation | undefined;
let building: Promise<Generation> | undefined;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
  return `<!doctype html><html lang="${lang}"><body><article data-pagefind-body data-pagefind-filter="section:${escape(t(SECTIONS.cases.title))}">`
    + `<span hidden data-pagefind-filter="language">${escape(t(`language.${lang}`))}</span>`
    + `<h1>${escape(title)}</h1><p>${escape(summary)}</p>${body}</article></body></html>`;
}

async function build(db: Kysely<Database>, print: string): Promise<Generation> {
  const started = performance.now();
  const items = await loadItems('cases', db);
  // One index for all languages, as at build time (Pagefind has no Kazakh stemmer).
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'ru' });
  if (!index) throw new Error(`Pagefind: ${errors.join('; ')}`);
  try {
    for (const item of items) {
      for (const lang of item.languages) {
        const entry = item.versions[lang]!;
        const body = isMemberEntry(entry) ? renderCaseBody(entry.member.content, lang).html : (entry.rendered?.html ?? escape(entry.body ?? ''));
        const added = await index.addHTMLFile({ url: itemHref('cases', item.slug, lang), content: pageHtml(lang, entry.data.title, entry.data.summary, body) });
        if (added.errors.length > 0) log.warn('case search: page not indexed', { slug: item.slug, errors: added.errors.join('; ') });
      }
    }
    const written = await index.getFiles();
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
    const files = new Map(written.files.map((file) => [file.path.replace(/^\/+/, ''), file.content]));
    const builtInMs = Math.round(performance.now() - started);
    log.info('case search index built', { pages: items.reduce((sum, item) => sum + item.languages.length, 0), files: files.size, ms: builtInMs });
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
  if (!building) {
    building = build(db, print)
      .then((generation) => {
        if (current?.fingerprint !== generation.fingerprint) previous = current;
        current = generation;
        return generation;
      })
      .finally(() => {
        building = undefined;
      });
  }
  return building;
}

/** Rebuilds in the background after a case is published or withdrawn, so the next reader does not wait. */
export function refreshCaseIndex(db: Kysely<Database>): void {
  freshCaseIndex(db).catch((error: unknown) => log.error('case search index failed', { error: String(error) }));
}

/** One file of the index, by its path under /pagefind-cases/. */
export async function caseIndexFile(db: Kysely<Database>, path: string): Promise<Uint8Array | undefined> {
  if (path === 'pagefind-entry.json' || !current) return (await freshCaseIndex(db)).files.get(path);
  return current.files.get(path) ?? previous?.files.get(path);
}
