import { z } from 'astro/zod';
import industries from '../../content/taxonomies/industries.json';
import regions from '../../content/taxonomies/regions.json';
import resourceTypes from '../../content/taxonomies/resource-types.json';
import topics from '../../content/taxonomies/topics.json';
import towns from '../../content/taxonomies/towns.json';
import type { Language } from '~/i18n/index.ts';
import { labelOrder } from '~/lib/format.ts';

/** A term of a taxonomy with its label in each language. */
export type Term = { id: string } & Record<Language, string>;

/** A member town content may name: its slug as id, its region (a region id) and its name. */
export type TownTerm = Term & { region: string };

/**
 * The taxonomies content items and pages refer to, from content/taxonomies/*.json.
 * Reference data, not demo data: the demo seed reads the towns and industries from
 * here, never the other way round.
 */
export const TAXONOMIES = {
  topics: topics as Term[],
  resourceTypes: resourceTypes as Term[],
  regions: regions as Term[],
  /** The town-forming industries a member town's profile may name. */
  industries: industries as Term[],
  /** The founding member towns. */
  towns: towns as TownTerm[],
} as const;

/** The member towns content may name, by slug, with their region. */
export const TOWN_REGIONS: ReadonlyMap<string, string> = new Map(TAXONOMIES.towns.map((town) => [town.id, town.region]));

/** Member towns' names, for labels on content pages. */
export const TOWN_NAMES: ReadonlyMap<string, Record<Language, string>> = new Map(TAXONOMIES.towns.map((town) => [town.id, town]));

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
export const townSlug = oneOf(TOWN_REGIONS.keys(), 'town', 'content/taxonomies/towns.json');

/** A term's label in a language, or the id itself when the term is unknown. */
export function termLabel(terms: readonly Term[], id: string, language: Language): string {
  return terms.find((term) => term.id === id)?.[language] ?? id;
}

const sortedChoices = new WeakMap<readonly Term[], Map<Language, ReadonlyArray<{ value: string; label: string }>>>();

/**
 * A taxonomy's terms as a select's choices in one language, in that language's
 * alphabetical order. Kept per taxonomy and language (the taxonomies are part of the
 * build and never change while the server runs), so a filter form does not sort them
 * again on every view.
 */
export function sortedTermChoices(terms: readonly Term[], language: Language): ReadonlyArray<{ value: string; label: string }> {
  let byLanguage = sortedChoices.get(terms);
  if (!byLanguage) sortedChoices.set(terms, (byLanguage = new Map()));
  let choices = byLanguage.get(language);
  if (!choices) byLanguage.set(language, (choices = Object.freeze(terms.map((term) => ({ value: term.id, label: term[language] })).sort(labelOrder(language)))));
  return choices;
}

/** A town's economic-potential categories (national monotown programme), in the order filters offer them. */
export const ECONOMIC_POTENTIALS = ['high', 'medium', 'low'] as const;
/** One economic-potential category. */
export type EconomicPotential = (typeof ECONOMIC_POTENTIALS)[number];

/** The ids of the topics, the only topics a form or a case may carry. */
export const KNOWN_TOPICS: ReadonlySet<string> = new Set(TAXONOMIES.topics.map((term) => term.id));
