import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import type { Database } from '~/server/db/schema.ts';
import { upcomingEntries, type CalendarEntry } from '~/server/events/calendar.ts';
import { loadItems, toCard, type ItemCard, type KnowledgeItem } from '~/server/knowledge/items.ts';
import { memberTownList, type TownSummary } from '~/server/towns/towns.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';

/** The member towns as the home page's strip shows them. */
export interface TownStrip {
  count: number;
  names: Array<{ slug: string; name: Record<Language, string> }>;
}

/** What the home page shows besides its fixed text. */
export interface HomeData {
  upcoming: CalendarEntry[];
  news: ItemCard[];
  cases: ItemCard[];
  resources: ItemCard[];
  towns: TownStrip;
}

/** The strip made once per kept list of member towns (src/server/towns/towns.ts), so a town's change shows at once. */
const strips = new WeakMap<readonly TownSummary[], TownStrip>();
async function memberTowns(db: Kysely<Database>): Promise<TownStrip> {
  const towns = await memberTownList(db);
  let strip = strips.get(towns);
  if (!strip) strips.set(towns, (strip = { count: towns.length, names: towns.map(({ slug, name }) => ({ slug, name })) }));
  return strip;
}

/** The newest items of a collection written in the reader's language. */
async function newest(collection: SectionCollection, lang: Language, limit: number, db?: Kysely<Database>): Promise<ItemCard[]> {
  return newestOf(await loadItems(collection, db), lang).slice(0, limit);
}

/**
 * A list's items written in a language, as cards, newest first: sorted once per list of
 * items (kept until the items change), not over every item on every view.
 */
function newestOf(items: KnowledgeItem[], lang: Language): readonly ItemCard[] {
  return newestCards(items, lang, () =>
    items
      .filter((item) => item.versions[lang])
      .map((item) => toCard(item, lang))
      .sort((a, b) => b.date.getTime() - a.date.getTime() || (a.slug < b.slug ? -1 : 1))
      .slice(0, NEWEST_KEPT),
  );
}

/** How many of a list's newest cards are kept (the home page shows three). */
const NEWEST_KEPT = 10;
const newestCards = keptPerObject<KnowledgeItem[], Language, readonly ItemCard[]>();

/** The home page's living parts, in the reader's language: what is coming, what is new, who the members are. */
export async function homePage(db: Kysely<Database>, lang: Language, now: Date): Promise<HomeData> {
  const [upcoming, news, cases, resources, towns] = await Promise.all([
    upcomingEntries(db, lang, now, 3),
    // Items published in the editorial workspace beside the file items.
    newest('news', lang, 3, db),
    // Member towns' approved cases beside the file cases.
    newest('cases', lang, 3, db),
    newest('resources', lang, 3, db),
    memberTowns(db),
  ]);
  return { upcoming, news, cases, resources, towns };
}
