import type { AstroGlobal } from 'astro';
import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { pageNumber } from '~/lib/groups.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import { recordGroupVisit } from '~/server/dashboard/group-visits.ts';
import { db } from '~/server/db/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { loadItems, toCard } from '~/server/knowledge/items.ts';
import { groupForViewer, groupTowns, type GroupAccess } from './groups.ts';
import { nextMeeting, type Meeting } from './meetings.ts';
import { leadIds, pendingRequestOf } from './members.ts';
import { listResources } from './resources.ts';
import { canReadThreads, isGroupEditor } from './rules.ts';
import { listThreads } from './threads.ts';

/**
 * What the pages under `/groups/<slug>/` load: the group for the visitor, and for the
 * overview page everything it shows, in one call each.
 */

/**
 * The group of a `/groups/<slug>/…` page for the current visitor, or undefined — and
 * then the page answers 404, the same for a missing group as for a private one the
 * visitor may not know about.
 */
export async function groupOfPage(page: Pick<AstroGlobal, 'params' | 'locals' | 'response'>): Promise<GroupAccess | undefined> {
  const slug = page.params.slug ?? '';
  const access = /^[a-z0-9-]{1,60}$/.test(slug) ? await groupForViewer(db(), { slug }, page.locals.user) : undefined;
  if (!access) page.response.status = 404;
  return access;
}

/** A pinned resource as the overview lists it: a link out, or a knowledge-centre item. */
export interface PinnedEntry {
  id: number;
  href: string;
  title: string;
  external: boolean;
  /** The language of the item's version linked to, when it is not the reader's. */
  lang: Language | undefined;
}

/** What a group's overview shows from the database, for one viewer. */
export interface GroupOverviewData {
  /** Whether the viewer may read the meetings, pinned resources and discussion. */
  readable: boolean;
  /** The member towns' names in the reader's language. */
  towns: string[];
  leads: string[];
  /** The viewer's own request to join, while it waits. */
  pending: Awaited<ReturnType<typeof pendingRequestOf>>;
  meeting: Meeting | undefined;
  pinned: PinnedEntry[];
  /** One page of threads (signed-in readers only). */
  threads: Awaited<ReturnType<typeof listThreads>> | undefined;
}

/** Everything the overview page renders besides its forms. */
export interface GroupOverview extends GroupOverviewData {
  access: GroupAccess;
  /** The page of threads `?page=` asks for, or undefined when that is not a page number. */
  page: number | undefined;
}

/** The pinned resources as links; an item that no longer exists is left out. */
async function pinnedEntries(resources: Awaited<ReturnType<typeof listResources>>, lang: Language): Promise<PinnedEntry[]> {
  const pinned = await Promise.all(
    resources.map(async (resource): Promise<PinnedEntry | undefined> => {
      if (resource.kind === 'link') return { id: resource.id, href: resource.target, title: resource.title ?? resource.target, external: true, lang: undefined };
      const [collection, slug] = resource.target.split('/') as [SectionCollection, string];
      const item = (await loadItems(collection)).find((candidate) => candidate.slug === slug);
      if (!item) return undefined;
      const card = toCard(item, lang);
      return { id: resource.id, href: card.href, title: card.title, external: false, lang: card.lang !== lang ? card.lang : undefined };
    }),
  );
  return pinned.filter((entry) => entry !== undefined);
}

/**
 * A group's overview for its viewer: towns, leads, the viewer's pending request, and —
 * when they may read them — the next meeting, pinned resources and one page of threads.
 * The queries run side by side.
 */
export async function groupOverview(db: Kysely<Database>, access: GroupAccess, lang: Language, threadsPage: number): Promise<GroupOverviewData> {
  const { group, viewer } = access;
  const { user } = viewer;
  const readable = canReadThreads(group, viewer);
  const [towns, leads, pending, meeting, resources, threads] = await Promise.all([
    groupTowns(db, group.id, lang),
    leadIds(db, group.id),
    user && viewer.role === null ? pendingRequestOf(db, group.id, user.id) : Promise.resolve(undefined),
    readable ? nextMeeting(db, group.id) : Promise.resolve(undefined),
    readable ? listResources(db, group.id) : Promise.resolve([]),
    readable && user ? listThreads(db, group.id, { viewerId: user.id, seeAllHidden: viewer.role === 'lead' || isGroupEditor(user), page: threadsPage }) : Promise.resolve(undefined),
  ]);
  return { readable, towns, leads, pending, meeting, pinned: await pinnedEntries(resources, lang), threads };
}

/**
 * The overview page's one call: the group for the visitor (undefined, and 404, when they
 * may not see it) and everything shown about it.
 */
export async function loadGroupOverview(page: Pick<AstroGlobal, 'params' | 'locals' | 'response' | 'url'>): Promise<GroupOverview | undefined> {
  const access = await groupOfPage(page);
  if (!access) return undefined;
  const threadsPage = pageNumber(page.url);
  // The member home's "new in your groups" counts from this visit (at most one write per ten minutes).
  if (access.viewer.user && access.viewer.role !== null) await recordGroupVisit(db(), access.viewer.user.id, access.group.id);
  return { access, page: threadsPage, ...(await groupOverview(db(), access, page.locals.lang, threadsPage ?? 1)) };
}
