import { describe, expect, it } from 'vitest';
import { compareHref, DEFAULT_COMPARE_INDICATOR, DEFAULT_COMPARE_TOWNS, parseCompareQuery, peersOf, townsBySlug } from '~/lib/indicators/compare-query.ts';
import { csvField, toCsv } from '~/server/indicators/open-data.ts';
import { parseDirectoryQuery, selectTowns } from '~/lib/towns/directory-query.ts';
import type { TownSummary } from '~/server/towns/towns.ts';
import { SEED_TOWNS } from '../../db/seed/towns.ts';

const TOWNS: TownSummary[] = SEED_TOWNS.map((town, index) => ({
  id: index + 1,
  slug: town.slug,
  name: town.name,
  region: town.region,
  population: town.population,
  mainIndustry: town.mainIndustry,
  potential: town.potential,
}));
const bySlug = (slug: string) => TOWNS.find((town) => town.slug === slug)!;

describe('the compare address', () => {
  it('finds towns by slug from a map kept per frozen list (the kept towns), made afresh for a list that may change', () => {
    const frozen = Object.freeze([...TOWNS]);
    expect(townsBySlug(frozen)).toBe(townsBySlug(frozen));
    expect(townsBySlug(frozen).get('ridder')).toBe(bySlug('ridder'));
    const open = [...TOWNS];
    const before = townsBySlug(open);
    open.push({ ...bySlug('ridder'), id: 999, slug: 'new-town' });
    expect(before.has('new-town')).toBe(false);
    expect(townsBySlug(open).get('new-town')?.id).toBe(999);
    expect(parseCompareQuery(new URLSearchParams('towns=new-town'), open)).toEqual({ ok: true, query: { indicator: DEFAULT_COMPARE_INDICATOR, towns: ['new-town'] } });
    expect(parseCompareQuery(new URLSearchParams('towns=new-town'), frozen)).toMatchObject({ ok: false, problems: ['compare.error.unknownTown'] });
  });

  it.each([
    { indicator: 'unemployment-rate', towns: ['ridder', 'kurchatov', 'zyryanovsk', 'serebryansk'] },
    { indicator: 'average-wage', towns: ['aksai'] },
    { indicator: 'air-quality', towns: ['temirtau', 'balkhash', 'zhezkazgan'] },
  ])('round-trips $indicator for $towns', (query) => {
    const href = compareHref('en', query);
    expect(href).toMatch(/^\/en\/towns\/compare\/\?indicator=[a-z-]+&towns=[a-z,-]+$/);
    const parsed = parseCompareQuery(new URL(href, 'http://qala.test').searchParams, TOWNS);
    expect(parsed).toEqual({ ok: true, query });
  });

  it('reads repeated towns (what the checkboxes send) like a comma list', () => {
    const params = new URLSearchParams([['indicator', 'population'], ['towns', 'ridder'], ['towns', 'aksu'], ['towns', 'ridder']]);
    expect(parseCompareQuery(params, TOWNS)).toEqual({ ok: true, query: { indicator: 'population', towns: ['ridder', 'aksu'] } });
  });

  it('starts from a town: itself, then the same industry, then the same region', () => {
    const peers = peersOf(bySlug('ridder'), TOWNS);
    expect(peers[0]).toBe('ridder');
    expect(peers).toEqual(expect.arrayContaining(['kentau', 'tekeli', 'zyryanovsk', 'serebryansk']));
    expect(parseCompareQuery(new URLSearchParams('town=ridder'), TOWNS)).toEqual({ ok: true, query: { indicator: DEFAULT_COMPARE_INDICATOR, towns: peers } });
  });

  it('has a default when nothing is asked', () => {
    expect(parseCompareQuery(new URLSearchParams(''), TOWNS)).toEqual({ ok: true, query: { indicator: DEFAULT_COMPARE_INDICATOR, towns: DEFAULT_COMPARE_TOWNS } });
  });

  it.each([
    ['indicator=happiness', 'compare.error.unknownIndicator'],
    ['indicator=population&indicator=average-wage', 'compare.error.oneIndicator'],
    ['towns=ridder,atlantis', 'compare.error.unknownTown'],
    ['town=atlantis', 'compare.error.unknownTown'],
    [`towns=${TOWNS.slice(0, 9).map((town) => town.slug).join(',')}`, 'compare.error.tooManyTowns'],
  ])('names the problem with %s and falls back to the default', (query, problem) => {
    const parsed = parseCompareQuery(new URLSearchParams(query), TOWNS);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toContain(problem);
    expect(parsed.query.towns).toEqual(DEFAULT_COMPARE_TOWNS);
  });
});

describe('the directory query', () => {
  const known = { regions: new Set(TOWNS.map((town) => town.region)), industries: new Set(TOWNS.map((town) => town.mainIndustry!)) };

  it('filters by region, industry and potential, and sorts by name or population', () => {
    const parsed = parseDirectoryQuery(new URLSearchParams('region=karaganda&sort=population'), known);
    expect(parsed.ok).toBe(true);
    expect(selectTowns(TOWNS, parsed.query, 'en').map((town) => town.slug)).toEqual(['temirtau', 'balkhash', 'saran', 'shakhtinsk']);
    const coalHigh = parseDirectoryQuery(new URLSearchParams('industry=coal&potential=high'), known);
    expect(selectTowns(TOWNS, coalHigh.query, 'en').map((town) => town.slug)).toEqual(['ekibastuz']);
    const byName = selectTowns(TOWNS, { sort: 'name' }, 'ru').map((town) => town.name.ru);
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'ru')));
  });

  it.each([
    ['region=atlantis', 'towns.filter.unknownRegion'],
    ['industry=whaling', 'towns.filter.unknownIndustry'],
    ['potential=enormous', 'towns.filter.unknownPotential'],
    ['sort=mood', 'towns.filter.unknownSort'],
    ['region=abai&region=ulytau', 'towns.filter.invalid'],
  ])('refuses %s', (query, problem) => {
    const parsed = parseDirectoryQuery(new URLSearchParams(query), known);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toContain(problem);
  });

  it('treats empty values as "any"', () => {
    expect(parseDirectoryQuery(new URLSearchParams('region=&industry=&potential=&sort='), known)).toEqual({ ok: true, query: { sort: 'name' } });
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3.5)).toBe('-3.5');
    expect(csvField(true)).toBe('true');
  });

  it('writes a byte-order mark, a header and one CRLF line per value', () => {
    const csv = toCsv(
      [{ townSlug: 'ridder', townName: { kk: 'Риддер', ru: 'Риддер', en: 'Ridder' }, region: 'east-kazakhstan', indicator: 'unemployment-rate', period: 2014, value: 4.8, sourceNote: 'Akimat, "report"', illustrative: false, publishedAt: 0 }],
      'ru',
    );
    expect(csv.startsWith('\uFEFFtown,town_name,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('ridder,Риддер,east-kazakhstan,Восточно-Казахстанская область,unemployment-rate,Уровень безработицы,%,lower,2014,4.8,"Akimat, ""report""",false,1970-01-01T00:00:00.000Z');
    expect(lines[2]).toBe('');
  });
});
