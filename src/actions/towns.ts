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

/**
 * One line that may be left empty, at most `max` characters, meeting `valid` when filled.
 * `.optional()` comes last: Astro reads an empty form field as undefined only for a field
 * whose schema is optional at its top (otherwise as null, which "Fill in this field" refuses).
 */
const optionalLine = (max: number, valid: { test: (value: string) => boolean; message: string } = { test: () => true, message: 'form.invalid' }) =>
  cleanText()
    .refine((value) => !/[\r\n\t]/.test(value), 'form.noLineBreaks')
    .transform((value) => value.trim())
    .pipe(z.string().max(max, 'form.tooLong'))
    .refine((value) => value === '' || valid.test(value), valid.message)
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
    population: optionalLine(20, { test: (value) => parsePopulation(value) !== null, message: 'townProfile.error.population' }),
    population_year: optionalLine(10, { test: (value) => parsePopulationYear(value) !== null, message: 'townProfile.error.populationYear' }),
    industry: optionalLine(60, { test: (value) => INDUSTRY_IDS.has(value), message: 'townProfile.error.industry' }),
    potential: optionalLine(20, { test: (value) => (ECONOMIC_POTENTIALS as readonly string[]).includes(value), message: 'townProfile.error.potential' }),
    address: optionalLine(300),
    phone: optionalLine(40, { test: isPhoneNumber, message: 'townProfile.error.phone' }),
    email: optionalLine(254, { test: (value) => z.string().email().safeParse(value).success, message: 'townProfile.error.email' }),
    website: optionalLine(300, { test: (value) => parseWebsite(value) !== null, message: 'townProfile.error.website' }),
  })
  .superRefine((input, context) => {
    if (!LANGUAGES.some((language) => input[`name_${language}`])) context.addIssue({ code: 'custom', path: ['name_en'], message: 'townProfile.error.noName' });
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
