import { describe, expect, it } from 'vitest';
import { townChoicesHtml, type ComparableTown } from '~/lib/towns/compare-choices-html.ts';

const towns: readonly ComparableTown[] = Object.freeze([
  { slug: 'zhezkazgan', name: { kk: 'Жезқазған', ru: 'Жезказган', en: 'Zhezkazgan' } },
  { slug: 'aksu', name: { kk: 'Ақсу', ru: 'Аксу', en: 'Aksu' } },
  { slug: 'ekibastuz', name: { kk: 'Екібастұз', ru: 'Экибастуз', en: 'Ekibastuz' } },
]);
const slugsIn = (html: string) => [...html.matchAll(/value="([^"]+)"/g)].map((match) => match[1]);
const tickedIn = (html: string) => [...html.matchAll(/value="([^"]+)" checked>/g)].map((match) => match[1]);

describe("the compare form's town choices", () => {
  it("lists every town as a checkbox named towns, in the order it is given (townsInOrder's)", () => {
    const html = townChoicesHtml(towns, 'en', []);
    expect(slugsIn(html)).toEqual(['zhezkazgan', 'aksu', 'ekibastuz']);
    expect(html).toContain('<li><label><input type="checkbox" name="towns" value="aksu"> Aksu</label></li>');
    expect(townChoicesHtml(towns, 'kk', [])).toContain('> Ақсу</label>');
  });

  it('ticks the chosen towns of each request, and only them', () => {
    expect(tickedIn(townChoicesHtml(towns, 'en', ['aksu', 'zhezkazgan']))).toEqual(['zhezkazgan', 'aksu']);
    expect(tickedIn(townChoicesHtml(towns, 'en', ['ekibastuz']))).toEqual(['ekibastuz']);
    expect(tickedIn(townChoicesHtml(towns, 'en', []))).toEqual([]);
  });

  it('escapes names and slugs', () => {
    const hostile = [{ slug: 'a"b', name: { kk: 'x', ru: 'x', en: '<b>Tom & "Jerry"</b>' } }];
    const html = townChoicesHtml(hostile, 'en', ['a"b']);
    expect(html).toContain('value="a&quot;b" checked> &lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</label>');
    expect(html).not.toContain('<b>');
  });

  it('follows a new list of towns (a town renamed or added gives a new kept list)', () => {
    expect(townChoicesHtml(towns, 'en', [])).not.toContain('Temirtau');
    const changed = Object.freeze([...towns, { slug: 'temirtau', name: { kk: 'Теміртау', ru: 'Темиртау', en: 'Temirtau' } }]);
    expect(slugsIn(townChoicesHtml(changed, 'en', []))).toEqual(['zhezkazgan', 'aksu', 'ekibastuz', 'temirtau']);
  });
});
