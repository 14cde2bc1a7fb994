import { describe, expect, it } from 'vitest';
import { SEED_TOWNS, TOWN_DEMO_FACTS } from '../../db/seed/towns.ts';
import { TAXONOMIES, TOWN_NAMES, TOWN_REGIONS } from '~/schemas/taxonomy.ts';
import { INDUSTRY_IDS, industryLabel } from '~/lib/towns/labels.ts';

const ids = (terms: ReadonlyArray<{ id: string }>) => terms.map((term) => term.id);

describe('reference data in content/taxonomies', () => {
  it('labels every industry and town in kk, ru and en, once each', () => {
    for (const terms of [TAXONOMIES.industries, TAXONOMIES.towns]) {
      expect(new Set(ids(terms)).size).toBe(terms.length);
      for (const term of terms) expect([term.kk, term.ru, term.en].every((label) => label.trim() !== '')).toBe(true);
    }
  });

  it('places every town in a known region', () => {
    const regions = new Set(ids(TAXONOMIES.regions));
    for (const town of TAXONOMIES.towns) expect(regions.has(town.region), town.id).toBe(true);
  });

  it('gives content validation and labels the towns and industries', () => {
    expect(TOWN_REGIONS.get('ridder')).toBe('east-kazakhstan');
    expect(TOWN_NAMES.get('temirtau')?.kk).toBe('Теміртау');
    expect(INDUSTRY_IDS.has('iron-ore')).toBe(true);
    expect(industryLabel('iron-ore', 'ru')).toBe('Добыча железной руды');
    expect(industryLabel('whaling', 'en')).toBe('whaling');
  });
});

describe('the demo seed and the reference data', () => {
  it('seed the same towns, in the same order, with the taxonomy’s names and regions', () => {
    expect(SEED_TOWNS).toHaveLength(27);
    expect(SEED_TOWNS.map((town) => town.slug)).toEqual(ids(TAXONOMIES.towns));
    expect([...TOWN_DEMO_FACTS.map((facts) => facts.slug)].sort()).toEqual([...ids(TAXONOMIES.towns)].sort());
    for (const town of SEED_TOWNS) {
      const term = TAXONOMIES.towns.find((candidate) => candidate.id === town.slug)!;
      expect(town.name).toEqual({ kk: term.kk, ru: term.ru, en: term.en });
      expect(town.region).toBe(term.region);
    }
  });

  it('name only known industries', () => {
    for (const town of SEED_TOWNS) expect(INDUSTRY_IDS.has(town.mainIndustry), town.slug).toBe(true);
  });
});
