import type { CaseCounts } from '../../server/exchange/matching.ts';
import { loadItems } from '../knowledge/items.ts';

/**
 * Published cases per town slug and topic, for the matching. Cases come from the
 * one items module, so whatever it publishes counts here too.
 */
export async function publishedCaseCounts(): Promise<CaseCounts> {
  const counts = new Map<string, Map<string, number>>();
  for (const item of await loadItems('cases')) {
    const entry = Object.values(item.versions)[0];
    if (!entry || entry.collection !== 'cases') continue;
    const byTopic = counts.get(entry.data.town) ?? new Map<string, number>();
    for (const topic of entry.data.topics) byTopic.set(topic, (byTopic.get(topic) ?? 0) + 1);
    counts.set(entry.data.town, byTopic);
  }
  return counts;
}
