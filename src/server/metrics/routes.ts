import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorFields, log } from '~/server/log.ts';

/** One route of the build: Astro's pattern (`/[lang]/exchange/[id]`) and the expression it matches paths with. */
export interface RoutePattern {
  route: string;
  pattern: RegExp;
}

/** Requests Astro was asked to render that no route matched (they answer 404). */
export const UNMATCHED = 'unmatched';
/** Requests Astro rendered while the route table could not be read. */
const UNKNOWN_ROUTE = 'astro';

/**
 * The label of a route as the site writes its addresses: `/[lang]/exchange/[id]/`,
 * with the trailing slash, except for files (`/[lang]/cases/rss.xml`).
 */
function label(route: string): string {
  if (route === '/' || route.endsWith('/')) return route;
  const last = route.slice(route.lastIndexOf('/') + 1);
  return /\.[a-z0-9]+$/i.test(last) ? route : `${route}/`;
}

/**
 * The route pattern `path` belongs to, matched as Astro matches it (the decoded path,
 * the first route in Astro's priority order), or UNMATCHED. Never the path itself: a
 * label per URL would make one time series per request id and slug.
 */
export function routeOf(routes: readonly RoutePattern[], path: string): string {
  let decoded: string;
  try {
    decoded = decodeURI(path);
  } catch {
    return UNMATCHED;
  }
  const found = routes.find((candidate) => candidate.pattern.test(decoded));
  return found ? label(found.route) : UNMATCHED;
}

/**
 * The routes of the build, read from the manifest Astro wrote beside its server entry
 * (`dist/server/manifest_<hash>.mjs`, already loaded by the entry, so importing it
 * again costs nothing). Its shape is Astro's own: pinned by the exact Astro version in
 * package.json and checked by tests/http/metrics.test.ts.
 */
export async function loadAstroRoutes(serverDir: string): Promise<RoutePattern[]> {
  const file = readdirSync(serverDir).find((name) => /^manifest_[\w-]+\.mjs$/.test(name));
  if (!file) throw new Error(`no Astro manifest in ${serverDir}`);
  const { manifest } = (await import(pathToFileURL(join(serverDir, file)).href)) as { manifest?: { routes?: { routeData?: Partial<RoutePattern> }[] } };
  const routes = (manifest?.routes ?? [])
    .map((entry) => entry.routeData)
    .filter((data): data is RoutePattern => typeof data?.route === 'string' && data.pattern instanceof RegExp)
    .map(({ route, pattern }) => ({ route, pattern }));
  if (routes.length === 0) throw new Error(`no routes in ${file}`);
  return routes;
}

/** Labels for the requests Astro renders; until the routes are read (or if they cannot be), one label for all. */
export function astroRouteLabels(serverDir: string): (path: string) => string {
  let routes: RoutePattern[] | undefined;
  loadAstroRoutes(serverDir).then(
    (loaded) => (routes = loaded),
    (error: unknown) => log.warn('metrics: route patterns unavailable, rendered pages share one label', errorFields(error)),
  );
  return (path) => (routes ? routeOf(routes, path) : UNKNOWN_ROUTE);
}
