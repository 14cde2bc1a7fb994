import type { Kysely } from 'kysely';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { buildDashboard, latestPeriods, type IndicatorPanel } from '~/server/indicators/panels.ts';
import { canEnterValues, canPublishValues, canSeeHistory, canSeeUnpublished } from '~/server/indicators/rules.ts';
import { publishedTownValues, publishedValuesForPeriods, townHistory, townValues } from '~/server/indicators/values.ts';
import { findTownBySlug, type TownProfile } from './towns.ts';

/** Everything a town's profile page shows from the database. */
export interface TownDashboard {
  town: TownProfile;
  panels: IndicatorPanel[];
  /** Whether the viewer sees values the town has not published (members do). */
  showsUnpublished: boolean;
  unpublishedCount: number;
  may: { enter: boolean; publish: boolean; history: boolean };
}

/**
 * A town's profile and indicator dashboard for a viewer, in three queries whatever the
 * number of indicators: the town, its values, and peers' published values for the
 * years the ranks are about. Undefined when no town has this slug.
 */
export async function loadTownDashboard(db: Kysely<Database>, slug: string, viewer: CurrentUser | null): Promise<TownDashboard | undefined> {
  const town = await findTownBySlug(db, slug);
  if (!town) return undefined;
  const showsUnpublished = canSeeUnpublished(viewer);
  // What anonymous readers see comes from the kept published values; members' from the table.
  const own = showsUnpublished ? await townValues(db, town.id, { includeUnpublished: true }) : await publishedTownValues(db, town.id);
  const peers = await publishedValuesForPeriods(db, latestPeriods(own));
  return {
    town,
    panels: buildDashboard(town.id, own, peers),
    showsUnpublished,
    unpublishedCount: showsUnpublished ? own.filter((value) => value.publishedAt === null).length : 0,
    may: { enter: canEnterValues(viewer, town.id), publish: canPublishValues(viewer, town.id), history: canSeeHistory(viewer, town.id) },
  };
}

/** What the data-entry page needs: the town, all its values and, for those allowed, the history. */
export async function loadDataEntry(db: Kysely<Database>, slug: string, viewer: CurrentUser) {
  const town = await findTownBySlug(db, slug);
  if (!town) return undefined;
  const may = { enter: canEnterValues(viewer, town.id), publish: canPublishValues(viewer, town.id), history: canSeeHistory(viewer, town.id) };
  if (!may.enter && !may.history) return { town, may, values: [], unpublished: 0, history: [] };
  const values = await townValues(db, town.id, { includeUnpublished: true });
  const unpublished = values.filter((value) => value.publishedAt === null).length;
  return { town, may, values, unpublished, history: may.history ? await townHistory(db, town.id) : [] };
}
