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

/** Reserved example domains (RFC 2606) and this machine: placeholders, never a real page. */
export const PLACEHOLDER_HOST = /(^|\.)(example\.(org|com|net)|localhost)$/i;

/** Whether `value` is a web address a reader can follow: http(s), not a placeholder domain. */
export function isRealWebAddress(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && !PLACEHOLDER_HOST.test(url.hostname);
}

/** A real web address (not qala.example.org or another placeholder). */
const webAddress = z.string().refine(isRealWebAddress, 'give a real http(s) address, not an example.org placeholder');

/**
 * Where the association's own links go: a real web address, a page or file of the portal
 * itself (`/en/exchange/new/`, `/files/…`), or a `mailto:` address.
 */
const ownLink = z
  .string()
  .refine(
    (value) => isRealWebAddress(value) || /^\/(?!\/)[^\s]*$/.test(value) || /^mailto:[^\s@]+@[^\s@]+$/.test(value),
    'give a page of the portal (/<lang>/…), a mailto: address or a real http(s) address, not an example.org placeholder',
  );

const money = z.object({ amount: z.number().nonnegative(), currency: z.enum(['KZT', 'USD', 'EUR']) });

/** A funding programme's slug (content/programmes/<lang>/<slug>.md); a test checks each named one exists. */
const programmeSlug = z.string().regex(/^[a-z0-9-]+$/, 'name a programme by its slug, e.g. indicator-pilot-grants');

/**
 * Guides, toolkits, policy briefs, reports and templates. A resource may concern some
 * towns or regions (or none: most are for every town) and may serve some funding
 * programmes; the resources list filters by each.
 */
export const resourceSchema = z.object({
  ...itemFields,
  type: resourceTypeId,
  programmes: z.array(programmeSlug).default([]),
  regions: z.array(regionId).default([]),
  towns: z.array(townSlug).default([]),
  authors: z.array(z.string().min(2)).min(1, 'name at least one author or source'),
  file: z.object({ url: ownLink, label: z.string().min(2), format: z.string().min(2), size: z.string().optional() }).optional(),
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
    /** The meeting link, or `true`: online, with the link sent to registered participants. */
    online: z.union([z.literal(true), webAddress]).optional(),
    registration: z.string().min(5),
    registrationUrl: ownLink.optional(),
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
    link: ownLink,
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
