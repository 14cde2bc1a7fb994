import { formatNumber, textOrder } from '~/lib/format.ts';
import { escapeHtml } from '~/lib/html.ts';
import type { Language, Translate } from '~/i18n/index.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';
import type { DirectoryQuery, DirectoryTown } from './directory-query.ts';
import { industryLabel } from './labels.ts';

/*
 * The town directory's long parts, kept per list of towns and language: every member
 * town in each order, and each town's table row and map entry as HTML. At national
 * scale (1,000 towns) sorting them by a language's collation and rendering 1,000 rows
 * as Astro expressions cost most of a view; the list of towns is the same object while
 * towns are unchanged (src/server/towns/towns.ts keeps it until the `towns` counter
 * moves), so what is kept here goes with it. Only the filters run on every view.
 */

/** A town as the directory shows it. */
export interface ListedTown extends DirectoryTown {
  id: number;
  slug: string;
}

interface KeptDirectory {
  ordered: Map<string, readonly ListedTown[]>;
  rows: Map<Language, Map<number, string>>;
  entries: Map<Language, Map<number, string>>;
}
const keptByList = new WeakMap<readonly ListedTown[], KeptDirectory>();

function keptFor(towns: readonly ListedTown[]): KeptDirectory {
  let kept = keptByList.get(towns);
  if (!kept) keptByList.set(towns, (kept = { ordered: new Map(), rows: new Map(), entries: new Map() }));
  return kept;
}

/** The towns a directory query selects, in its order: the same as `selectTowns`, from a kept order. */
export function selectListedTowns<T extends ListedTown>(towns: readonly T[], query: DirectoryQuery, lang: Language): T[] {
  const kept = keptFor(towns);
  const key = `${query.sort}|${lang}`;
  let ordered = kept.ordered.get(key) as readonly T[] | undefined;
  if (!ordered) {
    const compare = textOrder(lang);
    ordered = [...towns].sort((a, b) =>
      query.sort === 'population' ? (b.population ?? -1) - (a.population ?? -1) || compare(a.name[lang], b.name[lang]) : compare(a.name[lang], b.name[lang]),
    );
    kept.ordered.set(key, ordered);
  }
  return ordered.filter(
    (town) => (!query.region || town.region === query.region) && (!query.industry || town.mainIndustry === query.industry) && (!query.potential || town.potential === query.potential),
  );
}

function keptHtml(table: Map<Language, Map<number, string>>, lang: Language): Map<number, string> {
  let html = table.get(lang);
  if (!html) table.set(lang, (html = new Map()));
  return html;
}

/** The table rows of these towns (from `list`, the kept list they came from) as one HTML string. */
export function townRowsHtml(list: readonly ListedTown[], selected: readonly ListedTown[], lang: Language, t: Translate): string {
  const rows = keptHtml(keptFor(list).rows, lang);
  let html = '';
  for (const town of selected) {
    let row = rows.get(town.id);
    if (row === undefined) {
      const cells = [
        termLabel(TAXONOMIES.regions, town.region, lang),
        town.population === null ? '—' : formatNumber(town.population, lang),
        town.mainIndustry ? industryLabel(town.mainIndustry, lang) : '—',
        town.potential ? t(`towns.potential.${town.potential}`) : '—',
      ].map(escapeHtml);
      row = `<tr><th scope="row"><a href="/${lang}/towns/${escapeHtml(town.slug)}/">${escapeHtml(town.name[lang])}</a></th><td>${cells[0]}</td><td class="numeric">${cells[1]}</td><td>${cells[2]}</td><td>${cells[3]}</td></tr>`;
      rows.set(town.id, row);
    }
    html += row;
  }
  return html;
}

/** The map's list items of these towns (from `list`, the kept list they came from) as one HTML string. */
export function townEntriesHtml(list: readonly ListedTown[], selected: readonly ListedTown[], lang: Language): string {
  const entries = keptHtml(keptFor(list).entries, lang);
  let html = '';
  for (const town of selected) {
    let entry = entries.get(town.id);
    if (entry === undefined) entries.set(town.id, (entry = `<li><a href="/${lang}/towns/${escapeHtml(town.slug)}/">${escapeHtml(town.name[lang])}</a></li>`));
    html += entry;
  }
  return html;
}
