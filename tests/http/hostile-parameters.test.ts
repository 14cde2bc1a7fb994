import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * No parameter of any route can produce a 500. Every query and path parameter Qala
 * reads (grep `searchParams.get`, `Astro.params`, `params.` in src/pages, and the query
 * parsers in src/lib) is fed control characters, encoded slashes, backslashes, very long
 * values and invalid percent-encoding on a representative URL of its route, signed in as
 * someone the route lets in, and every answer must be below 500.
 */
const server = useServer();

/** Values as they are written into the URL (already percent-encoded where they need to be). */
const HOSTILE = [
  '%00',
  '%01%1F%7F',
  '%C2%85',
  '%09',
  '%0A',
  '%0D%0A',
  '%2F',
  '%2F%2Fevil.example%2F',
  '%5C',
  '%5Cevil.example',
  '..%2F..%2F',
  '%E0%A4%A',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%FF',
  '%E3%80%80',
  '%EF%BF%BD',
  '-1',
  '0',
  '99999999999999999999',
  '1e3',
  '%3Cscript%3E',
  'a'.repeat(10_000),
  '%2F%09%2Fevil.example%2F',
];
/**
 * Values sent only in query strings: in a path a raw backslash is read as a slash, and a
 * leading slash in the first segment would make the URL protocol-relative. The slashed ones
 * are path-like values as `next` carries them.
 */
const QUERY_ONLY = ['\\evil.example', '%5C%5C', '/%00/x', '/%0A/x', '/%E3%80%80/x'];

type Who = 'public' | 'member' | 'lead' | 'admin';
const EMAILS: Record<Exclude<Who, 'public'>, string> = { member: 'ridder@example.org', lead: 'temirtau-admin@example.org', admin: 'admin@example.org' };
const cookies: Partial<Record<Who, string>> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  for (const [who, email] of Object.entries(EMAILS)) cookies[who as Who] = await signIn(server.url, email, DEMO_PASSWORD);
  const first = async (query: ReturnType<typeof sql<{ id: number | string }>>) => String((await readRows(server.databaseUrl, query))[0]?.id ?? 1);
  ids.request = await first(sql<{ id: number }>`SELECT id FROM help_requests ORDER BY id LIMIT 1`);
  ids.response = await first(sql<{ id: number }>`SELECT r.id FROM help_responses r JOIN users u ON u.id = r.author_id WHERE u.email = ${EMAILS.member} ORDER BY r.id LIMIT 1`);
  ids.case = await first(sql<{ id: number }>`SELECT c.id FROM member_cases c JOIN towns t ON t.id = c.town_id WHERE t.slug = 'temirtau' ORDER BY c.id LIMIT 1`);
  ids.application = await first(sql<{ id: number }>`SELECT id FROM membership_applications ORDER BY id LIMIT 1`);
  ids.group = await first(sql<{ id: number }>`SELECT id FROM groups WHERE slug = 'utilities-renewal'`);
  ids.thread = await first(sql<{ id: number }>`SELECT t.id FROM group_threads t JOIN groups g ON g.id = t.group_id WHERE g.slug = 'utilities-renewal' ORDER BY t.id LIMIT 1`);
  ids.meeting = await first(sql<{ id: number }>`SELECT m.id FROM group_meetings m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'utilities-renewal' ORDER BY m.id LIMIT 1`);
  ids.user = await first(sql<{ id: string }>`SELECT id FROM users WHERE email = 'temirtau@example.org'`);
});

/** A route's representative URL, `{name}` marking its path parameters; who may open it; the query parameters it reads. */
interface Route {
  path: string;
  who: Who;
  query?: string[];
}

const ROUTES: Route[] = [
  { path: '/{lang}/sign-in/', who: 'public', query: ['next', 'reset', 'signedOut', '_action'] },
  // Signed in, the sign-in page redirects to `next`: the review's 500s were there.
  { path: '/{lang}/sign-in/', who: 'member', query: ['next'] },
  { path: '/{lang}/', who: 'public' },
  { path: '/en/password/reset/', who: 'public', query: ['token'] },
  { path: '/en/invitation/', who: 'public', query: ['token'] },
  { path: '/en/account/email/confirm/', who: 'member', query: ['token'] },
  { path: '/{lang}/search/', who: 'public', query: ['q', 'section', 'lang', 'page'] },
  { path: '/{lang}/search/', who: 'member', query: ['q', 'section', 'lang', 'page'] },
  { path: '/en/resources/', who: 'public', query: ['topic', 'type', 'language', 'year', 'q', 'page'] },
  { path: '/{lang}/cases/', who: 'public', query: ['topic', 'region', 'town', 'language', 'year', 'q', 'page'] },
  { path: '/en/funding/', who: 'public', query: ['topic', 'status', 'language', 'q', 'page'] },
  { path: '/en/news/', who: 'public', query: ['topic', 'language', 'year', 'q', 'page'] },
  { path: '/en/events/', who: 'public', query: ['topic', 'format', 'region', 'when', 'language', 'view', 'month', 'q', 'page'] },
  { path: '/{lang}/events/calendar.ics', who: 'public' },
  { path: '/{lang}/events/{slug}.ics', who: 'public' },
  { path: '/en/cases/{slug}/', who: 'public' },
  { path: '/en/resources/{slug}/', who: 'public' },
  { path: '/en/news/{slug}/', who: 'public' },
  { path: '/en/events/{slug}/', who: 'public' },
  { path: '/en/funding/{slug}/', who: 'public' },
  { path: '/{lang}/cases/rss.xml', who: 'public' },
  { path: '/en/towns/', who: 'public', query: ['region', 'industry', 'potential', 'sort'] },
  { path: '/en/towns/compare/', who: 'public', query: ['indicator', 'towns', 'town'] },
  { path: '/en/towns/{slug}/', who: 'public' },
  { path: '/en/towns/{slug}/indicators/', who: 'lead', query: ['indicator', 'period'] },
  { path: '/{lang}/towns/{slug}/indicators.csv', who: 'public' },
  { path: '/{lang}/towns/{slug}/indicators.json', who: 'public' },
  { path: '/{lang}/indicators/{id}.csv', who: 'public' },
  { path: '/{lang}/indicators/{id}.json', who: 'public' },
  { path: '/en/exchange/', who: 'member', query: ['status', 'scope', 'language', 'topic', 'region', 'town', 'q', 'page'] },
  { path: '/en/exchange/{id}/', who: 'member', query: ['done', 'saved', 'who'] },
  { path: '/en/exchange/{id}/edit/', who: 'lead' },
  { path: '/en/exchange/responses/{id}/', who: 'member' },
  { path: '/en/exchange/watch/', who: 'member', query: ['saved'] },
  { path: '/en/members/{id}/', who: 'member' },
  { path: '/en/account/cases/{id}/', who: 'lead', query: ['done'] },
  { path: '/en/groups/', who: 'member', query: ['left'] },
  { path: '/en/groups/{slug}/', who: 'member', query: ['page'] },
  { path: '/en/groups/{slug}/lead/', who: 'lead' },
  { path: '/en/groups/{slug}/members/', who: 'lead' },
  { path: '/en/groups/{slug}/threads/{id}/', who: 'member', query: ['page'] },
  { path: '/en/groups/{slug}/meetings/{id}.ics', who: 'member' },
  { path: '/en/editor/applications/', who: 'admin', query: ['status'] },
  { path: '/en/editor/applications/{id}/', who: 'admin' },
  { path: '/en/editor/cases/', who: 'admin', query: ['status'] },
  { path: '/en/editor/cases/{id}/', who: 'admin', query: ['done'] },
  { path: '/en/editor/groups/{id}/', who: 'admin', query: ['created'] },
  { path: '/en/admin/accounts/', who: 'admin', query: ['q'] },
];

/** The route's path with real values in every parameter but `hostile`'s. */
function filled(route: Route, replace?: { name: string; value: string }): string {
  const real: Record<string, string> = {
    lang: 'en',
    slug: route.path.includes('/groups/') ? 'utilities-renewal' : route.path.includes('/towns/') ? 'temirtau' : 'no-such-item',
    id: route.path.includes('/indicators/')
      ? 'industrial-output'
      : route.path.includes('/threads/')
        ? ids.thread!
        : route.path.includes('/meetings/')
          ? ids.meeting!
          : route.path.includes('/responses/')
            ? ids.response!
            : route.path.includes('/members/')
              ? ids.user!
              : route.path.includes('/applications/')
                ? ids.application!
                : route.path.includes('/cases/')
                  ? ids.case!
                  : route.path.includes('/editor/groups/')
                    ? ids.group!
                    : ids.request!,
  };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => (replace?.name === name ? replace.value : real[name]!));
}

/** Every answer at or above 500 for these URLs, as "status url". */
async function serverErrors(urls: string[], who: Who): Promise<string[]> {
  const failures: string[] = [];
  for (const url of urls) {
    const response = await request(server.url, url, { cookie: cookies[who] });
    await response.arrayBuffer();
    if (response.status >= 500) failures.push(`${response.status} ${url.slice(0, 120)}`);
  }
  return failures;
}

describe('no parameter of any route answers 500', () => {
  it('every route answers below 500 with ordinary values', async () => {
    for (const route of ROUTES) expect(await serverErrors([filled(route)], route.who), route.path).toEqual([]);
  });

  const pathParameters = ROUTES.flatMap((route) => [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ route, name: match[1]! })));
  it.each(pathParameters.map((entry) => [`${entry.route.path} {${entry.name}}`, entry] as const))('path %s', async (_, { route, name }) => {
    const urls = HOSTILE.map((value) => filled(route, { name, value }));
    expect(await serverErrors(urls, route.who)).toEqual([]);
  });

  const queryParameters = ROUTES.flatMap((route) => (route.query ?? []).map((name) => ({ route, name })));
  it.each(queryParameters.map((entry) => [`${entry.route.path} ?${entry.name}`, entry] as const))('query %s', async (_, { route, name }) => {
    const base = filled(route);
    const urls = [...HOSTILE, ...QUERY_ONLY].flatMap((value) => [`${base}?${name}=${value}`, `${base}?${name}=${value}&${name}=${value}`]);
    expect(await serverErrors(urls, route.who)).toEqual([]);
  });
});
