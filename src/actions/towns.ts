import { ActionError } from 'astro:actions';
import { z } from 'astro:schema';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import { INDUSTRY_IDS } from '~/lib/towns/labels.ts';
import { isPhoneNumber, parsePopulation, parsePopulationYear, parseWebsite } from '~/lib/towns/profile-rules.ts';
import { ECONOMIC_POTENTIALS } from '~/schemas/taxonomy.ts';
import { db } from '~/server/db/index.ts';
import { saveTownProfile, type TownProfileInput } from '~/server/towns/profile.ts';
import { canEditTownProfile } from '~/server/towns/rules.ts';
import { findTownBySlug } from '~/server/towns/towns.ts';
import { defineAction } from './define.ts';
import { cleanText, required } from './fields.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** One line that may be left empty (an empty field arrives as undefined), at most `max` characters. */
const optionalLine = (max: number) =>
  cleanText()
    .refine((value) => !/[\r\n\t]/.test(value), 'form.noLineBreaks')
    .transform((value) => value.trim())
    .pipe(z.string().max(max, 'form.tooLong'))
    .optional();

/** Several lines that may be left empty, line breaks counted as browsers count them. */
const optionalParagraphs = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : value), cleanText().max(max, 'form.tooLong')).optional();

/** Empty text is "not given". */
const orNull = (value: string | undefined): string | null => (value ? value : null);

/**
 * The profile form. Only these fields are read: anything else posted (region, slug,
 * given_names …) is dropped by the zod object. Each check that needs no database is
 * made here, so bad input comes back to the form with a message beside the field.
 */
const profileInput = z
  .object({
    town: required.max(120, 'form.tooLong'),
    name_kk: optionalLine(100),
    name_ru: optionalLine(100),
    name_en: optionalLine(100),
    description_kk: optionalParagraphs(2000),
    description_ru: optionalParagraphs(2000),
    description_en: optionalParagraphs(2000),
    enterprise_kk: optionalLine(200),
    enterprise_ru: optionalLine(200),
    enterprise_en: optionalLine(200),
    population: optionalLine(20).refine((value) => !value || parsePopulation(value) !== null, 'townProfile.error.population'),
    population_year: optionalLine(10).refine((value) => !value || parsePopulationYear(value) !== null, 'townProfile.error.populationYear'),
    industry: optionalLine(60).refine((value) => !value || INDUSTRY_IDS.has(value), 'townProfile.error.industry'),
    potential: optionalLine(20).refine((value) => !value || (ECONOMIC_POTENTIALS as readonly string[]).includes(value), 'townProfile.error.potential'),
    address: optionalLine(300),
    phone: optionalLine(40).refine((value) => !value || isPhoneNumber(value), 'townProfile.error.phone'),
    email: optionalLine(254).refine((value) => !value || z.string().email().safeParse(value).success, 'townProfile.error.email'),
    website: optionalLine(300).refine((value) => !value || parseWebsite(value) !== null, 'townProfile.error.website'),
  })
  .superRefine((input, context) => {
    if (!LANGUAGES.some((language) => input[`name_${language}`])) context.addIssue({ code: 'custom', path: ['name_en'], message: 'townProfile.error.noName' });
    if (input.population && !input.population_year) context.addIssue({ code: 'custom', path: ['population_year'], message: 'townProfile.error.yearNeeded' });
    if (!input.population && input.population_year) context.addIssue({ code: 'custom', path: ['population'], message: 'townProfile.error.populationNeeded' });
  });

type ProfileForm = z.infer<typeof profileInput>;

function toInput(form: ProfileForm): TownProfileInput {
  const each = (prefix: 'name' | 'description' | 'enterprise') =>
    Object.fromEntries(LANGUAGES.map((language) => [language, orNull(form[`${prefix}_${language}`])])) as Record<Language, string | null>;
  return {
    names: each('name'),
    descriptions: each('description'),
    enterprises: each('enterprise'),
    population: form.population ? parsePopulation(form.population) : null,
    populationYear: form.population_year ? parsePopulationYear(form.population_year) : null,
    mainIndustry: orNull(form.industry),
    potential: (orNull(form.potential) as TownProfileInput['potential']) ?? null,
    address: orNull(form.address),
    phone: orNull(form.phone),
    email: form.email ? form.email.toLowerCase() : null,
    website: form.website ? parseWebsite(form.website) : null,
  };
}

/** Editing a town's profile: its own administrator, editors and administrators. */
export const townActions = {
  saveProfile: defineAction({
    accept: 'form',
    input: profileInput,
    handler: async (form, context) => {
      const { user } = context.locals;
      if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      const town = await findTownBySlug(db(), form.town);
      if (!town) throw new ActionError({ code: 'NOT_FOUND', message: 'towns.notFound.title' });
      if (!canEditTownProfile(user, town.id)) throw new ActionError({ code: 'FORBIDDEN', message: 'townProfile.forbidden' });
      const outcome = await saveTownProfile(db(), { townId: town.id, editor: user, input: toInput(form) });
      if (!outcome.ok) {
        if (outcome.reason === 'forbidden') throw new ActionError({ code: 'FORBIDDEN', message: 'townProfile.forbidden' });
        if (outcome.reason === 'noName') throw new ActionError({ code: 'BAD_REQUEST', message: 'townProfile.error.noName' });
        throw new ActionError({ code: 'NOT_FOUND', message: 'towns.notFound.title' });
      }
      return { changed: outcome.changed };
    },
  }),
};
