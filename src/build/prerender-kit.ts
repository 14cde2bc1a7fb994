import type { AstroIntegration } from 'astro';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * What a content-only rebuild (scripts/fast-rebuild.mjs) needs to render prerendered pages
 * again without `astro build`, kept in dist/prerender/ by a full build:
 *
 * - `server/`: the server bundle as it was when Astro prerendered the pages. Astro empties
 *   the modules of prerender-only routes after prerendering (`cleanStaticOutput`), so
 *   dist/server alone cannot render them; the copy is taken in `astro:build:generated`,
 *   which runs between the two.
 * - `routes.json`: each prerendered route's RouteData and the stylesheets and scripts
 *   Astro's build put in its head. Astro's manifest leaves out prerendered routes with
 *   parameters, and the head elements come from build-time data (`BuildPipeline.headElements`,
 *   read here by wrapping it), so the fast path hands both to the bundle's own App.
 * - `pages.json`: the paths Astro prerendered and the static routes the sitemap read, so the
 *   fast path writes the sitemap as `@astrojs/sitemap` did.
 *
 * Astro 5 has no public way to do this; everything here is checked by
 * tests/build/fast-rebuild.test.ts, which compares a fast rebuild with a full build byte
 * for byte. If the wrapping finds nothing to wrap, no kit is written and every build is full.
 */
export const KIT_FOLDER = 'prerender';

interface RecordedRoute {
  routeData: unknown;
  styles: Array<{ type: 'external'; src: string } | { type: 'inline'; content: string }>;
  scripts: Array<{ type: 'external'; value: string } | { stage: 'head-inline'; children: string }>;
}

interface SsrElement {
  props: Record<string, string>;
  children: string;
}

const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Astro's internal modules, by file (they are not in its package exports). */
async function astroInternal<T>(path: string): Promise<T> {
  // Resolved from the project (Vite's config loader has no import.meta.resolve) and imported
  // by Node itself, not by the loader (which would make a second copy of the module): this is
  // the module Astro's build uses.
  const astroPackage = createRequire(join(process.cwd(), 'package.json')).resolve('astro/package.json');
  return (await nativeImport(pathToFileURL(join(dirname(astroPackage), 'dist', path)).href)) as T;
}

const { BuildPipeline } = await astroInternal<{ BuildPipeline: { prototype: { headElements: (routeData: any) => any } } }>('core/build/pipeline.js');
const { serializeRouteData } = await astroInternal<{ serializeRouteData: (routeData: any, trailingSlash: string) => unknown }>('core/routing/manifest/serialization.js');

export function prerenderKit(): AstroIntegration {
  const recorded = new Map<string, RecordedRoute>();
  let restore: (() => void) | undefined;
  let trailingSlash = 'ignore';
  let site: string | undefined;
  let base = '/';
  let format = 'directory';
  let origin = 'http://localhost:4321';
  let serverDir = '';
  let outDir = '';
  let sitemapRoutes: Array<{ pathname: string; generated: string }> = [];
  let wrapped = false;
  let unsupported = false;

  return {
    name: 'qala:prerender-kit',
    hooks: {
      'astro:config:done': ({ config }) => {
        trailingSlash = config.trailingSlash;
        site = config.site;
        base = config.base;
        format = config.build.format;
        origin = config.site ? new URL(config.site).origin : `http://localhost:${config.server.port}`;
        serverDir = fileURLToPath(config.build.server);
        outDir = fileURLToPath(config.outDir);
      },
      'astro:routes:resolved': ({ routes }) => {
        // What @astrojs/sitemap adds from the routes (static pages): their generated paths.
        type Route = { pathname?: string | undefined; generate: (data?: any) => string };
        const generated = (route: Route) => (route.pathname ? [{ pathname: route.pathname, generated: route.generate(route.pathname) }] : []);
        sitemapRoutes = routes
          .filter((route) => route.type === 'page')
          .flatMap((route) => [route, ...((route as { fallbackRoutes?: Route[] }).fallbackRoutes ?? [])].flatMap(generated));
      },
      'astro:build:start': () => {
        const original = BuildPipeline.prototype.headElements;
        if (typeof original !== 'function') return;
        wrapped = true;
        BuildPipeline.prototype.headElements = function headElements(this: unknown, routeData: any) {
          const head = original.call(this, routeData) as { styles: Set<SsrElement>; scripts: Set<SsrElement>; links: Set<SsrElement> };
          if (routeData?.prerender && !recorded.has(routeData.component)) {
            recorded.set(routeData.component, {
              routeData: serializeRouteData(routeData, trailingSlash),
              styles: [...head.styles].map((style) => (style.props.href ? { type: 'external' as const, src: style.props.href } : { type: 'inline' as const, content: style.children })),
              scripts: [...head.scripts].map((script) => (script.props.src ? { type: 'external' as const, value: script.props.src } : { stage: 'head-inline' as const, children: script.children })),
            });
            // Head links are not recorded (Astro's build adds none): a route with some leaves the kit out.
            if (head.links.size > 0) unsupported = true;
          }
          return head;
        };
        restore = () => {
          BuildPipeline.prototype.headElements = original;
        };
      },
      'astro:build:generated': () => {
        restore?.();
        if (!wrapped || unsupported || recorded.size === 0) return;
        const kit = join(outDir, KIT_FOLDER);
        mkdirSync(kit, { recursive: true });
        // Before Astro empties the prerender-only modules; its assets go to dist/client anyway.
        const assets = join(serverDir, '_astro');
        cpSync(serverDir, join(kit, 'server'), { recursive: true, filter: (source) => source !== assets && !source.startsWith(`${assets}/`) });
        writeFileSync(join(kit, 'routes.json'), JSON.stringify({ origin, routes: [...recorded.values()] }));
      },
      'astro:build:done': ({ pages }) => {
        if (!wrapped || unsupported || recorded.size === 0) return;
        const kit = join(outDir, KIT_FOLDER);
        writeFileSync(
          join(kit, 'pages.json'),
          JSON.stringify({ config: { site, base, trailingSlash, build: { format } }, pages: pages.map((page) => page.pathname), sitemapRoutes }),
        );
      },
    },
  };
}
