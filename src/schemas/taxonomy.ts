import { z } from 'astro/zod';
import { SEED_TOWNS } from '../../db/seed/towns.ts';
import regions from '../../content/taxonomies/regions.json';
import resourceTypes from '../../content/taxonomies/resource-types.json';
import topics from '../../content/taxonomies/topics.json';
import type { Language } from '../i18n/index.ts';

/** A term of a taxonomy with its label in each language. */
export type Term = { id: string } & Record<Language, string>;

/** The taxonomies content items refer to, from content/taxonomies/*.json. */
export const TAXONOMIES = {
  topics: topics as Term[],
  resourceTypes: resourceTypes as Term[],
  regions: regions as Term[],
} as const;

/** The member towns content may name, by slug (the founding members in db/seed/towns.ts). */
export const TOWN_REGIONS: ReadonlyMap<string, string> = new Map(SEED_TOWNS.map((town) => [town.slug, town.region]));

/** Member towns' names, for labels on content pages. */
export const TOWN_NAMES: ReadonlyMap<string, Record<Language, string>> = new Map(SEED_TOWNS.map((town) => [town.slug, town.name]));

/**
 * A string that must be one of a known set. An unknown value fails the build with a
 * message naming the value and the file that lists the allowed ones; Astro adds
 * the content file and the field.
 */
function oneOf(ids: Iterable<string>, what: string, listedIn: string) {
  const allowed = new Set(ids);
  return z.string().refine((id) => allowed.has(id), (id) => ({ message: `unknown ${what} "${id}": use one listed in ${listedIn}` }));
}

/** A topic id from content/taxonomies/topics.json. */
export const topicId = oneOf(TAXONOMIES.topics.map((term) => term.id), 'topic', 'content/taxonomies/topics.json');
/** A resource type id from content/taxonomies/resource-types.json. */
export const resourceTypeId = oneOf(TAXONOMIES.resourceTypes.map((term) => term.id), 'resource type', 'content/taxonomies/resource-types.json');
/** A region id from content/taxonomies/regions.json. */
export const regionId = oneOf(TAXONOMIES.regions.map((term) => term.id), 'region', 'content/taxonomies/regions.json');
/** A member town's slug. */
export const townSlug = oneOf(TOWN_REGIONS.keys(), 'town', 'db/seed/towns.ts');

/** A term's label in a language, or the id itself when the term is unknown. */
export function termLabel(terms: readonly Term[], id: string, language: Language): string {
  return terms.find((term) => term.id === id)?.[language] ?? id;
}

/** The ids of the topics, the only topics a form or a case may carry. */
export const KNOWN_TOPICS: ReadonlySet<string> = new Set(TAXONOMIES.topics.map((term) => term.id));
