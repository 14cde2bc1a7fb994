import { z } from 'astro/zod';
import { regionId, resourceTypeId, topicId, townSlug, TOWN_REGIONS } from './taxonomy.ts';
import { EVENT_FORMATS } from '~/lib/events/format.ts';

/** Where an item may point to as related: `<collection>/<slug>`. */
const relatedItem = z
  .string()
  .regex(/^(resources|cases|news|events|programmes)\/[a-z0-9-]+$/, 'related items are written collection/slug, e.g. cases/ridder-heating-network');

/** What every published item has, whatever its collection. */
const itemFields = {
  title: z.string().min(3).max(160),
  summary: z.string().min(20).max(400),
  date: z.coerce.date(),
  topics: z.array(topicId).min(1, 'give at least one topic'),
  featured: z.boolean().default(false),
  related: z.array(relatedItem).default([]),
};

const money = z.object({ amount: z.number().nonnegative(), currency: z.enum(['KZT', 'USD', 'EUR']) });

/** Guides, toolkits, policy briefs, reports and templates. */
export const resourceSchema = z.object({
  ...itemFields,
  type: resourceTypeId,
  authors: z.array(z.string().min(2)).min(1, 'name at least one author or source'),
  file: z.object({ url: z.string().url(), label: z.string().min(2), format: z.string().min(2), size: z.string().optional() }).optional(),
});

/** One town's practice, in FCM's case template (the body has the six sections). */
export const caseSchema = z
  .object({
    ...itemFields,
    town: townSlug,
    region: regionId,
    period: z.string().min(4),
    cost: money.optional(),
    funding: z.string().min(3),
    contact: z.object({ name: z.string().min(2), role: z.string().min(2), email: z.string().email().optional() }),
    indicators: z
      .array(z.object({ name: z.string().min(2), before: z.number(), after: z.number(), unit: z.string().min(1), year: z.number().int().min(1990).max(2100) }))
      .default([]),
    illustrative: z.boolean(),
  })
  .superRefine((item, context) => {
    const expected = TOWN_REGIONS.get(item.town);
    if (expected && expected !== item.region) {
      context.addIssue({ code: 'custom', path: ['region'], message: `${item.town} is in region "${expected}", not "${item.region}"` });
    }
  });

/** News from the association and its members. */
export const newsSchema = z.object({ ...itemFields });

/** Events: meetings, webinars, study visits. */
export const eventSchema = z
  .object({
    ...itemFields,
    start: z.coerce.date(),
    end: z.coerce.date().optional(),
    place: z.string().min(2).optional(),
    online: z.string().url().optional(),
    registration: z.string().min(5),
    registrationUrl: z.string().url().optional(),
    /** In person, online or hybrid; read from place and link when absent. */
    format: z.enum(EVENT_FORMATS).optional(),
    /** The region it takes place in (not for online events). */
    region: regionId.optional(),
  })
  .refine((event) => event.format !== 'in-person' || event.place, { message: 'an in-person event needs a place', path: ['place'] })
  .refine((event) => event.format === undefined || event.format === 'in-person' || event.online, { message: 'an online or hybrid event needs an online link', path: ['online'] })
  .refine((event) => event.place || event.online, { message: 'give a place, an online link, or both', path: ['place'] })
  .refine((event) => !event.end || event.end >= event.start, { message: 'the end is before the start', path: ['end'] });

/** Funding and support programmes. No deadline means applications are rolling. */
export const programmeSchema = z
  .object({
    ...itemFields,
    funder: z.string().min(2),
    eligibility: z.string().min(10),
    amount: z.object({ min: z.number().nonnegative().optional(), max: z.number().positive().optional(), currency: z.enum(['KZT', 'USD', 'EUR']) }).optional(),
    deadline: z.coerce.date().optional(),
    link: z.string().url(),
  })
  .refine((programme) => !programme.amount?.min || !programme.amount.max || programme.amount.min <= programme.amount.max, {
    message: 'the minimum amount is above the maximum',
    path: ['amount'],
  });

/** The association's own pages: about, membership, privacy, accessibility, contact. */
export const pageSchema = z.object({
  title: z.string().min(2),
  description: z.string().min(10),
  updated: z.coerce.date(),
});
