import type { Language } from '../../i18n/index.ts';
import { byReaderLanguageThenDate, loadItems, toCard, type ItemCard } from '../knowledge/items.ts';

/** A town's published cases as cards for a reader, newest first (through the one items module). */
export async function townCases(townSlug: string, lang: Language): Promise<ItemCard[]> {
  const items = await loadItems('cases');
  return items
    .map((item) => toCard(item, lang))
    .filter((card) => card.town === townSlug)
    .sort(byReaderLanguageThenDate(lang));
}
