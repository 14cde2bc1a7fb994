import { createHash } from 'node:crypto';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import { eventIsPast, programmeStatus } from '~/lib/knowledge/status.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import { itemHref, loadFileItems, relatedItems, relatedSource, type KnowledgeItem } from './items.ts';
import { PRERENDERED_ITEM_COLLECTIONS } from './live-related.ts';

/**
 * A digest of everything from the content a prerendered item page shows, per page
 * (`/<lang>/<section>/<slug>/`): the item itself (every language version, which the page's
 * language links and badges name), its related items (which and in what order, and what
 * their cards show), the programmes a resource names, and what the page says about time
 * (an event that took place, a programme that closed: wording that changes with the day of
 * the build). Two builds with the same code write the same page exactly when its digest is
 * the same, so a content-only rebuild (scripts/fast-rebuild.mjs) renders again only the
 * pages whose digest changed, the new ones, and deletes the pages that are gone.
 */
export async function prerenderedPageInputs(now = new Date()): Promise<Record<string, string>> {
  const pageDigests = new WeakMap<KnowledgeItem, string>();
  const cardDigests = new WeakMap<KnowledgeItem, string>();
  /** What the item's own pages show: every version whole. */
  const itemDigest = (item: KnowledgeItem): string => kept(pageDigests, item, () => ({ languages: item.languages, versions: item.languages.map((lang) => versionState(item, lang, now, true)) }));
  /** What a card or link to the item shows: its data, not its text. */
  const cardDigest = (item: KnowledgeItem): string => kept(cardDigests, item, () => ({ languages: item.languages, versions: item.languages.map((lang) => versionState(item, lang, now, false)) }));
  const sources = Object.fromEntries(await Promise.all(LANGUAGES.map(async (lang) => [lang, await relatedSource(lang)] as const))) as Record<
    Language,
    Awaited<ReturnType<typeof relatedSource>>
  >;
  const programmes = new Map((await loadFileItems('programmes')).map((item) => [item.slug, item]));
  const pages: Record<string, string> = {};
  for (const collection of PRERENDERED_ITEM_COLLECTIONS) {
    for (const item of await loadFileItems(collection)) {
      for (const lang of item.languages) {
        const entry = item.versions[lang]!;
        const related = relatedItems(sources[lang], entry, collection, 4).map((other) => `${other.collection}/${other.slug}:${cardDigest(other)}`);
        const named = ((entry.data as { programmes?: string[] }).programmes ?? []).map((slug) => {
          const programme = programmes.get(slug);
          return `${slug}:${programme ? cardDigest(programme) : ''}`;
        });
        pages[itemHref(collection, item.slug, lang)] = hash(JSON.stringify([itemDigest(item), related, named]));
      }
    }
  }
  return pages;
}

/** One language version as a page (with its text) or a card (without) shows it: its data, and what it says about time. */
function versionState(item: KnowledgeItem, lang: Language, now: Date, withText: boolean) {
  const entry = item.versions[lang]! as { data: Record<string, unknown>; body?: string; rendered?: { html?: string; metadata?: unknown } };
  const text = withText ? { body: entry.body, rendered: entry.rendered } : {};
  return { lang, data: entry.data, ...text, time: timeState(item.collection, entry.data, now) };
}

function kept(digests: WeakMap<KnowledgeItem, string>, item: KnowledgeItem, state: () => unknown): string {
  let digest = digests.get(item);
  if (!digest) {
    digest = hash(JSON.stringify(state()));
    digests.set(item, digest);
  }
  return digest;
}

/** What a page or card of this item says that depends on the day it was built. */
function timeState(collection: SectionCollection, data: Record<string, unknown>, now: Date): string | boolean | undefined {
  if (collection === 'events' && data.start instanceof Date) return eventIsPast(data.start, data.end as Date | undefined, now);
  if (collection === 'programmes') return programmeStatus(data.deadline as Date | undefined, now);
  return undefined;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
