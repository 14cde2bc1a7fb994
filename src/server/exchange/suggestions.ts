import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import { log } from '~/server/log.ts';
import { scoreMatches, type CaseCounts, type MatchRequest, type SuggestedPerson, type SuggestedTown } from './matching.ts';

/**
 * Scoring every member of every town takes tens of milliseconds at national scale
 * (tests/bench/exchange.measure.ts), too much for each view of a request page. The
 * answer is stored when a request is published or edited and read on each view; a
 * view recomputes it only when it is older than this, so profile changes, accepted
 * answers and new cases reach the suggestions within the hour.
 */
export const SUGGESTIONS_MAX_AGE_SECONDS = 60 * 60;

/** Who could help with a request, as the page shows it. */
export interface Suggestions {
  people: SuggestedPerson[];
  towns: SuggestedTown[];
  computedAt: number;
}

/** Scores the request now and stores the answer. */
export async function refreshSuggestions(
  db: Kysely<Database>,
  request: MatchRequest & { id: number },
  counts: CaseCounts,
  now = clock.now(),
): Promise<Suggestions> {
  const { people, towns } = await scoreMatches(db, request, counts);
  const values = { people: JSON.stringify(people), towns: JSON.stringify(towns), computed_at: now };
  try {
    await db
      .insertInto('help_request_suggestions')
      .values({ request_id: request.id, ...values })
      .onConflict((conflict) => conflict.column('request_id').doUpdateSet(values))
      .execute();
  } catch (error) {
    // Storing is only a saving for later views: when the database is busy with a long
    // write, this view still shows the fresh answer and the next one stores it.
    log.warn('matching suggestions not stored', { request: request.id, error: String(error) });
  }
  return { people, towns, computedAt: now };
}

/**
 * The stored suggestions when they are fresh (newer than the request's last edit and
 * younger than the maximum age); otherwise computed now and stored. Case counts are
 * loaded only when needed.
 */
export async function suggestionsFor(
  db: Kysely<Database>,
  request: MatchRequest & { id: number; updatedAt: number },
  counts: () => Promise<CaseCounts>,
  now = clock.now(),
): Promise<Suggestions> {
  const stored = await db.selectFrom('help_request_suggestions').selectAll().where('request_id', '=', request.id).executeTakeFirst();
  if (stored && stored.computed_at >= request.updatedAt && now - stored.computed_at < SUGGESTIONS_MAX_AGE_SECONDS) {
    return { people: JSON.parse(stored.people) as SuggestedPerson[], towns: JSON.parse(stored.towns) as SuggestedTown[], computedAt: stored.computed_at };
  }
  return refreshSuggestions(db, request, await counts(), now);
}
