// The baseline of tests/bench/member-pages.measure.ts: a bare node:http server that, for
// each member page, does what the page does before rendering (the same session check
// and the same calls into Qala's data functions) and answers with the data as JSON,
// no Astro, no HTML. Bundled by the bench with esbuild and run as its own process.
// Under `/html/<page>` it does the same work and then answers with the page's own HTML as
// Qala sent it (captured by the bench), compressed per request as Qala compresses a page
// and with the same security headers: the same bytes on the wire, without rendering, so
// Qala's ratio to it is what rendering through Astro costs.
// Environment: DATABASE_URL, PORT (0 picks one; the port is printed as JSON), RAW_PAGES
// (a JSON file of { "<page path>": "<html>" } for the /html/ answers).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { brotliCompressSync, constants } from 'node:zlib';
import { applyHeaders, securityHeaders } from '~/node/security-headers.ts';
import { BROTLI_QUALITY, windowBitsFor } from '~/node/whole-body.ts';
import { getProfile } from '~/server/accounts/profiles.ts';
import { validateSessionToken } from '~/server/auth/session.ts';
import { createLucia } from '~/server/auth/lucia.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { databaseLocation } from '~/server/db/location.ts';
import { loadFirstSteps } from '~/server/dashboard/first-steps.ts';
import { loadMemberHome } from '~/server/dashboard/home.ts';
import { listTopics } from '~/server/dialogue/topics.ts';
import { listRequests } from '~/server/exchange/request-list.ts';
import { filesAttachedTo } from '~/server/files/files.ts';
import { isFollowing, markReadOnView } from '~/server/groups/following.ts';
import { groupForViewer, publicGroupsOfTown } from '~/server/groups/groups.ts';
import { canReadThreads } from '~/server/groups/rules.ts';
import { findThread, listReplies } from '~/server/groups/threads.ts';
import { publishedCases } from '~/server/cases/cases.ts';
import { publishedPortalItems } from '~/server/editorial/published.ts';
import { unreadCount } from '~/server/notifications/notifications.ts';
import { openConsultationsForTown } from '~/server/positions/positions.ts';
import { isStanceTaker } from '~/server/positions/rules.ts';
import { townPhoto } from '~/server/files/town-photo.ts';
import { loadTownDashboard } from '~/server/towns/dashboard.ts';
import { findPeerTowns } from '~/server/towns/peers.ts';
import { townNames } from '~/server/towns/towns.ts';
import { exchangeSearch, parseExchangeQuery, toFilters } from '~/lib/exchange/list-query.ts';
import * as clock from '~/lib/clock.ts';

const db = createDatabase(databaseLocation(process.env.DATABASE_URL!, process.cwd()));
const auth = createLucia(db, { production: false });
const pagesHtml = new Map<string, Buffer>(Object.entries(process.env.RAW_PAGES ? (JSON.parse(readFileSync(process.env.RAW_PAGES, 'utf8')) as Record<string, string>) : {}).map(([path, html]) => [path, Buffer.from(html)]));
const headers = securityHeaders({ production: false });

/** The captured page, brotli-compressed now as Qala compresses a page rendered on demand (src/node/whole-body.ts). */
function sendPage(response: import('node:http').ServerResponse, html: Buffer): void {
  const body = brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_LGWIN]: windowBitsFor(html.length), [constants.BROTLI_PARAM_SIZE_HINT]: html.length } });
  applyHeaders(response, headers);
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'br', 'Cache-Control': 'private, no-store', 'Content-Length': body.length });
  response.end(body);
}

const server = createServer(async (request, response) => {
  try {
    const token = /(?:^|;\s*)qala_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    const { user } = token ? await validateSessionToken(auth, token) : { user: null };
    if (!user) {
      response.writeHead(401).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://raw');
    const asHtml = url.pathname.startsWith('/html/');
    if (asHtml) url.pathname = url.pathname.slice('/html'.length);
    // As Qala's pages: the count read with the session, where the session check gave one.
    const unread = user.unreadNotifications ?? (await unreadCount(db, user.id));
    let data: unknown;
    if (url.pathname === '/user-menu/') {
      // The signed-in header parts: the session check is all the work there is.
      data = { name: user.displayName, role: user.role, town: user.town?.slug ?? null };
    } else if (url.pathname === '/exchange/') {
      const towns = await townNames(db);
      const townIds = new Map(towns.map((town) => [town.slug, town.id]));
      const { query } = parseExchangeQuery(url.searchParams, new Set(townIds.keys()));
      data = { towns, search: exchangeSearch(query), list: await listRequests(db, { id: user.id, townId: user.town?.id ?? null }, toFilters(query, townIds)) };
    } else if (url.pathname === '/account/') {
      data = await Promise.all([
        loadMemberHome(db, user),
        loadFirstSteps(db, user),
        user.town ? findPeerTowns(db, { id: user.town.id }) : undefined,
        isStanceTaker(user) ? openConsultationsForTown(db, user.town.id, clock.now()) : [],
        listTopics(db, user, {}, 5),
      ]);
    } else if (url.pathname === '/account/profile/') {
      data = await getProfile(db, user.id);
    } else if (url.pathname.startsWith('/towns/')) {
      // A town's profile as its page reads it (signed in: the member sees unpublished figures too).
      const dashboard = await loadTownDashboard(db, url.pathname.split('/')[2] ?? '', user);
      if (!dashboard) {
        response.writeHead(404).end();
        return;
      }
      const { town } = dashboard;
      data = {
        dashboard,
        // What the page's case and item cards read from the database (the content files
        // they also list are in memory; astro:content is not available outside Astro).
        cases: await publishedCases(db, { townSlug: town.slug }),
        concerning: (await Promise.all((['resources', 'programmes', 'news', 'events'] as const).map((collection) => publishedPortalItems(db, collection)))).length,
        groups: await publicGroupsOfTown(db, town.id, 'en'),
        photo: await townPhoto(db, town.id),
        peers: await findPeerTowns(db, { id: town.id }),
      };
    } else {
      const match = /^\/groups\/([a-z0-9-]+)\/threads\/(\d+)\/$/.exec(url.pathname);
      const access = match ? await groupForViewer(db, { slug: match[1]! }, user) : undefined;
      const thread = access ? await findThread(db, access.group.id, Number(match![2])) : undefined;
      if (!access || !thread || !canReadThreads(access.group, access.viewer)) {
        response.writeHead(404).end();
        return;
      }
      // As the page on a GET: one read of the thread, and a write only when it is unread.
      const replies = await listReplies(db, thread.id, 1);
      const following = await isFollowing(db, thread.id, user.id);
      if (access.viewer.role !== null) await markReadOnView(db, thread, user.id);
      const threadFiles = await filesAttachedTo(db, 'thread', [thread.id]);
      const replyFiles = await filesAttachedTo(db, 'reply', replies.replies.map((reply) => reply.id));
      data = { thread, replies, following, threadFiles: [...threadFiles], replyFiles: [...replyFiles] };
    }
    const html = asHtml ? pagesHtml.get(url.pathname) : undefined;
    if (html) return sendPage(response, html);
    const body = JSON.stringify({ unread, data });
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  } catch (error) {
    console.error(error);
    response.writeHead(500).end();
  }
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => {
  server.close();
  void db.destroy().then(() => process.exit(0));
});
