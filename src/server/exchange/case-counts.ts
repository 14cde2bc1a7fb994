import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { loadItems } from '~/server/knowledge/items.ts';
import type { CaseCounts } from './matching.ts';

/**
 * Published cases per town slug and topic, for the matching: the association's and
 * the towns' own, both read through the one items module.
 */
export async function publishedCaseCounts(db: Kysely<Database>): Promise<CaseCounts> {
  const counts = new Map<string, Map<string, number>>();
  for (const item of await loadItems('cases', db)) {
    const entry = Object.values(item.versions)[0];
    if (!entry || entry.collection !== 'cases') continue;
    const byTopic = counts.get(entry.data.town) ?? new Map<string, number>();
    for (const topic of entry.data.topics) byTopic.set(topic, (byTopic.get(topic) ?? 0) + 1);
    counts.set(entry.data.town, byTopic);
  }
  return counts;
}
