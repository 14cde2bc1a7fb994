import { describe, expect, it } from 'vitest';
import { createTranslator } from '~/i18n/index.ts';
import { selectListedTowns, townEntriesHtml, townRowsHtml, type ListedTown } from '~/lib/towns/directory-html.ts';
import { selectTowns, type DirectoryQuery } from '~/lib/towns/directory-query.ts';

const town = (id: number, slug: string, en: string, population: number | null, extra: Partial<ListedTown> = {}): ListedTown => ({
  id, slug, name: { kk: `${en} kk`, ru: `Ру ${en}`, en }, region: id % 2 ? 'abai' : 'ulytau', population, mainIndustry: id % 3 ? 'coal' : null, potential: id % 2 ? 'high' : null, ...extra,
});
const list = Object.freeze([town(1, 'b', 'Beta', 5_000), town(2, 'a', 'Alpha', 90_000), town(3, 'c', 'Ćella', null), town(4, 'd', 'delta', 5_000), town(5, 'e', 'Ålesund', 12_000)]);

describe('the town directory’s kept order and rows', () => {
  it.each<[string, DirectoryQuery]>([
    ['by name', { sort: 'name' }],
    ['by population', { sort: 'population' }],
    ['a region by population', { sort: 'population', region: 'abai' }],
    ['an industry and a potential', { sort: 'name', industry: 'coal', potential: 'high' }],
  ])('selects and orders %s as selectTowns does, in every language', (_label, query) => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      expect(selectListedTowns(list, query, lang).map((t) => t.slug)).toEqual(selectTowns([...list], query, lang).map((t) => t.slug));
    }
  });

  it('renders escaped rows and map entries, and a new list of towns gets new ones', () => {
    const t = createTranslator('en');
    const rows = townRowsHtml(list, [list[1]!], 'en', t);
    expect(rows).toBe('<tr><th scope="row"><a href="/en/towns/a/">Alpha</a></th><td>Ulytau Region</td><td class="numeric">90,000</td><td>Coal mining</td><td>—</td></tr>');
    const renamed = Object.freeze(list.map((one) => (one.id === 2 ? { ...one, name: { ...one.name, en: 'A & <b>' } } : one)));
    expect(townRowsHtml(renamed, [renamed[1]!], 'en', t)).toContain('<a href="/en/towns/a/">A &amp; &lt;b&gt;</a>');
    expect(townRowsHtml(list, [list[1]!], 'en', t)).toBe(rows);
    expect(townEntriesHtml(renamed, [renamed[1]!, renamed[0]!], 'ru')).toBe('<li><a href="/ru/towns/a/">Ру Alpha</a></li><li><a href="/ru/towns/b/">Ру Beta</a></li>');
  });
});
