/*
 * Demo profile text and contacts for the seeded towns: a short description in three
 * languages (who the town is, from db/seed/towns.ts and the source document) and
 * contacts on example.kz addresses, which are reserved and reach nobody.
 */
import regions from '../../content/taxonomies/regions.json';
import type { SeedTown } from './towns.ts';

type Localized = { kk: string; ru: string; en: string };

/** What migration 0005 adds to a town: description and contacts. */
export interface SeedTownProfile {
  description: Localized;
  contactEmail: string;
  contactPhone: string;
  contactWebsite: string;
}

const POTENTIAL: Record<SeedTown['potential'], Localized> = {
  high: {
    kk: ' Бағдарлама оны экономикалық әлеуеті жоғары моноқалалар қатарына жатқызған.',
    ru: ' Программа отнесла его к моногородам с высоким экономическим потенциалом.',
    en: ' The programme rated it as having high economic potential.',
  },
  medium: { kk: '', ru: '', en: '' },
  low: {
    kk: ' Бағдарлама оны экономикалық әлеуеті төмен моноқалалар қатарына жатқызған.',
    ru: ' Программа отнесла его к моногородам с низким экономическим потенциалом.',
    en: ' The programme rated it as having low economic potential.',
  },
};

/** The demo description and contacts of a seeded town (`index` makes the phone number unique). */
export function seedTownProfile(town: SeedTown, index: number): SeedTownProfile {
  const region = regions.find((term) => term.id === town.region) ?? { kk: town.region, ru: town.region, en: town.region };
  const potential = POTENTIAL[town.potential];
  return {
    description: {
      kk: `${town.name.kk} — ұлттық моноқалалар бағдарламасындағы 27 қаланың бірі (${region.kk}). Қала құраушы өндіріс: ${town.foundingEnterprise.kk}.${potential.kk}`,
      ru: `${town.name.ru} — один из 27 городов национальной программы моногородов (${region.ru}). Градообразующее производство: ${town.foundingEnterprise.ru}.${potential.ru}`,
      en: `${town.name.en} is one of the 27 towns of the national monotown programme (${region.en}). Town-forming industry: ${town.foundingEnterprise.en}.${potential.en}`,
    },
    contactEmail: `akimat@${town.slug}.example.kz`,
    contactPhone: `+7 700 000 ${String(100 + index).padStart(4, '0')}`,
    contactWebsite: `https://${town.slug}.example.kz/`,
  };
}
