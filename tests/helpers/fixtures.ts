import type { ApplicationInput } from '~/server/membership/applications.ts';
import { readCaseForm } from '~/server/cases/content.ts';
import type { CaseContent } from '~/server/cases/types.ts';
import type { TownProfileInput } from '~/server/towns/profile.ts';
import type { TownProfile } from '~/server/towns/towns.ts';

/** A complete case, as the form would post it. */
export function completeCase(title = 'Serebryansk: one desk for small business'): CaseContent {
  return readCaseForm(
    {
      title,
      summary: 'One desk in the akimat for entrepreneurs: advice, papers and applications to national programmes.',
      languages: ['en'],
      topics: ['sme-support'],
      period: '2021–2024',
      funding: 'Town budget',
      contactName: 'Aigerim Nurlanova',
      contactRole: 'Chief specialist',
      context: 'A hydropower town of 9,000.',
      challenge: 'Nowhere to ask.',
      approach: 'A desk in the akimat.',
      obstacles: 'Staff left.',
      results: 'From 21 to 34 small enterprises.',
      nextSteps: 'Legal advice.',
      ind1Name: 'Small enterprises', ind1Before: '21', ind1After: '34', ind1Unit: 'enterprises', ind1Year: '2024',
    },
    true,
  ).content;
}

/** A membership application as a town's contact sends it, with any field replaced. */
export function membershipApplication(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  return {
    townName: 'Zhanatas',
    region: 'zhambyl',
    population: 21_000,
    mainIndustry: 'Phosphate mining',
    contactName: 'Marat Ospanov',
    email: 'akimat@zhanatas.example.kz',
    phone: '+7 726 000 00 00',
    motivation: 'We want to learn from other single-industry towns.',
    language: 'en',
    ...overrides,
  };
}

/** A complete case as the case form posts it (two instances, search sources). */
export const BOILER_HOUSE_CASE_FORM: Readonly<Record<string, string>> = {
  title: 'Temirtau: one boiler house for three districts',
  summary: 'Temirtau joined three district boiler houses into one and cut heat losses.',
  languages: 'en',
  topics: 'utilities-housing',
  period: '2023–2025',
  funding: 'Town budget',
  costAmount: '120000000',
  costCurrency: 'KZT',
  contactName: 'Dana Akhmetova',
  contactRole: 'Housing department, Temirtau akimat',
  contactEmail: '',
  context: 'Three districts had a boiler house each.',
  challenge: 'Each ran at a third of its power.',
  approach: 'One boiler house with a new main.',
  obstacles: 'Digging through winter.',
  results: 'Heat losses fell by a quarter.',
  nextSteps: 'A fourth district.',
  ind1Name: 'Boiler houses',
  ind1Before: '3',
  ind1After: '1',
  ind1Unit: 'boiler houses',
  ind1Year: '2025',
};

/** A town profile form as it stands, with the English name changed: an edit that renames the town. */
export function renamedTownInput(town: TownProfile, englishName: string): TownProfileInput {
  const input = townProfileInput(town);
  return { ...input, names: { ...input.names, en: englishName } };
}

/** A town profile form as it stands, to change one thing at a time. */
export function townProfileInput(town: TownProfile): TownProfileInput {
  return {
    names: { ...town.givenNames },
    descriptions: { ...town.description },
    population: town.population,
    populationYear: town.populationYear,
    enterprises: { ...town.foundingEnterprise },
    mainIndustry: town.mainIndustry,
    potential: town.potential,
    address: town.contacts.address,
    phone: town.contacts.phone,
    email: town.contacts.email,
    website: town.contacts.website,
  };
}
