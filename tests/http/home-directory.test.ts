import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

const server = useServer();

let ids: Record<string, string>;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  const rows = await withServerDatabase(server.databaseUrl, (db) => db.selectFrom('users').select(['id', 'email', 'contactable']).execute());
  ids = Object.fromEntries(rows.map((row) => [row.email, row.id]));
  for (const email of ['temirtau-admin@example.org', 'temirtau@example.org', 'editor@example.org', 'aksu@example.org']) {
    cookies[email] = await signIn(server.url, email, DEMO_PASSWORD);
  }
});

const page = async (path: string, email?: string) => {
  const response = await request(server.url, path, email ? { cookie: cookies[email]! } : {});
  return { status: response.status, location: response.headers.get('location'), robots: response.headers.get('x-robots-tag'), html: await response.text() };
};

describe('the member home', () => {
  it('sends a visitor to sign in and back', async () => {
    const { status, location } = await page('/en/account/');
    expect(status).toBe(303);
    expect(location).toBe('/en/sign-in/?next=%2Fen%2Faccount%2F');
  });

  it('shows each section with its count, in the reader\'s language, with the demo data', async () => {
    const { status, html } = await page('/en/account/', 'aksu@example.org');
    expect(status).toBe(200);
    expect(html).toContain('<meta name="robots" content="noindex, nofollow"');
    for (const title of ['Waiting for you', 'Your next meetings', 'New in your groups', 'Open requests matching your expertise', 'Unread notifications', 'Your account']) {
      expect(html).toContain(title);
    }
    // Aksu leads a group with a pending request to join: counted, named, and linked to the members page.
    expect(html).toMatch(/Requests to join groups you lead<\/a>\s*<span class="badge"[^>]*>1<\/span>/);
    expect(html).toContain('Aizhan Tasbolatova asks to join Economic diversification and SMEs');
    expect(html).toContain('href="/en/groups/economic-diversification/members/"');
    const russian = await page('/ru/account/', 'aksu@example.org');
    expect(russian.html).toContain('Ждёт вас');
    expect(russian.html).toContain('href="/ru/groups/economic-diversification/members/"');
    expect(russian.html).not.toMatch(/memberHome\.|firstSteps\.|\{count\}|\{title\}/);
  });

  it('shows the next meeting with the calendar file, and keeps the account links', async () => {
    const { html } = await page('/en/account/', 'temirtau-admin@example.org');
    expect(html).toMatch(/href="\/en\/groups\/utilities-renewal\/meetings\/\d+\.ics"/);
    expect(html).toContain('You have not answered yet');
    for (const href of ['/en/account/profile/', '/en/account/password/', '/en/account/email/', '/en/account/colleagues/', '/en/members/', '/en/account/notifications/']) {
      expect(html).toContain(`href="${href}"`);
    }
  });

  it("forgets a group's new discussions once the member opens the group's page", async () => {
    const fresh = /Utilities renewal — discussions with new posts: (\d+)/;
    const before = await page('/en/account/', 'temirtau-admin@example.org');
    expect(Number(fresh.exec(before.html)?.[1])).toBeGreaterThan(0);
    expect((await page('/en/groups/utilities-renewal/', 'temirtau-admin@example.org')).status).toBe(200);
    const visits = await withServerDatabase(server.databaseUrl, (db) => db.selectFrom('group_visits').select('user_id').where('user_id', '=', ids['temirtau-admin@example.org']!).execute());
    expect(visits).toHaveLength(1);
    const after = await page('/en/account/', 'temirtau-admin@example.org');
    expect(after.html).not.toMatch(fresh);
  });

  it('says what to do, with a link, where a section is empty', async () => {
    const { html } = await page('/en/account/', 'editor@example.org');
    // Scoped styles add a data-astro-cid attribute to the links.
    expect(html).toMatch(/Nothing is waiting for you\. <a href="\/en\/exchange\/"[^>]*>See what other towns are asking<\/a>/);
    expect(html).toMatch(/No meeting is planned in your groups\. <a href="\/en\/groups\/"[^>]*>Find a working group<\/a>/);
    expect(html).toMatch(/You are not in any working group yet\. <a href="\/en\/groups\/"[^>]*>Find a group to join<\/a>/);
    expect(html).toMatch(/<a href="\/en\/account\/profile\/"[^>]*>Add areas of expertise<\/a>/);
  });
});

describe("a new town's first steps", () => {
  it('show its administrator a checklist that ticks itself, until everything is done', async () => {
    const townId = await withServerDatabase(server.databaseUrl, async (db) => {
      const { password_hash } = await db.selectFrom('users').select('password_hash').where('email', '=', 'temirtau@example.org').executeTakeFirstOrThrow();
      const now = Math.floor(Date.now() / 1000);
      const town = await db
        .insertInto('towns')
        .values({ slug: 'baikonur', name_kk: 'Байқоңыр', name_ru: 'Байконур', name_en: 'Baikonur', region: 'turkistan', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, description_kk: null, description_ru: null, description_en: null, contact_email: null, contact_phone: null, contact_website: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('users').values({ id: 'baikonur-admin-0001', email: 'baikonur@example.org', password_hash, display_name: 'Baikonur Admin', role: 'town_admin', town_id: town.id, language: 'en', created_at: now, updated_at: now }).execute();
      return town.id;
    });
    cookies['baikonur@example.org'] = await signIn(server.url, 'baikonur@example.org', DEMO_PASSWORD);
    const steps = (html: string) => [...html.matchAll(/<li class="first-steps__step( first-steps__step--done)?[^"]*"[^>]*>.*?<a href="([^"]+)"[^>]*>/gs)].map((match) => [match[2], Boolean(match[1])]);

    const first = await page('/en/account/', 'baikonur@example.org');
    expect(first.html).toContain('First steps for Baikonur');
    expect(first.html).toContain('0 of 5 done');
    expect(steps(first.html)).toEqual([
      ['/en/towns/baikonur/edit/', false],
      ['/en/account/colleagues/', false],
      ['/en/towns/baikonur/indicators/', false],
      ['/en/groups/', false],
      ['/en/exchange/', false],
    ]);
    const russian = await page('/ru/account/', 'baikonur@example.org');
    expect(russian.html).toContain('Первые шаги: Байконур');
    expect(russian.html).toContain('href="/ru/towns/baikonur/edit/"');

    await withServerDatabase(server.databaseUrl, async (db) => {
      await db.updateTable('towns').set({ population: 36_175, description_ru: 'Город при космодроме.' }).where('id', '=', townId).execute();
      const group = await db.selectFrom('groups').select('id').where('slug', '=', 'youth-skills').executeTakeFirstOrThrow();
      await db.insertInto('group_members').values({ group_id: group.id, user_id: 'baikonur-admin-0001', role: 'member', joined_at: 1 }).execute();
    });
    const later = await page('/en/account/', 'baikonur@example.org');
    expect(later.html).toContain('2 of 5 done');
    expect(steps(later.html).map(([, done]) => done)).toEqual([true, false, false, true, false]);

    // The town's other steps done: the checklist is gone.
    await withServerDatabase(server.databaseUrl, async (db) => {
      const year = new Date().getUTCFullYear();
      await db.insertInto('indicator_values').values({ town_id: townId, indicator: 'population', period: year - 1, value: 36_175, source_note: 'stat.gov.kz', published_at: null, created_by: null, created_at: 1, updated_by: null, updated_at: 1 }).execute();
      await db.insertInto('users').values({ id: 'baikonur-member-0001', email: 'baikonur-deputy@example.org', password_hash: 'x', display_name: 'Deputy', role: 'member', town_id: townId, language: 'ru', created_at: 1, updated_at: 1 }).execute();
      await db.insertInto('help_requests').values({ town_id: townId, author_id: 'baikonur-admin-0001', title: 'Tourism at the launch site', body: 'Advice, please.', help_forms: '["advice"]', topics: '["economic-diversification"]', languages: '["ru"]', urgency: 'normal', deadline: null, status: 'open', outcome: null, hidden_at: null, hidden_reason: null, published_at: 1, resolved_at: null, created_at: 1, updated_at: 1 }).execute();
    });
    const done = await page('/en/account/', 'baikonur@example.org');
    expect(done.status).toBe(200);
    expect(done.html).not.toContain('First steps for');
  });
});

describe('the people directory', () => {
  it('is never public: a visitor is sent to sign in, from the list and from a profile', async () => {
    for (const path of ['/en/members/', '/en/members/?topic=utilities-housing', `/en/members/${ids['temirtau@example.org']}/`]) {
      const { status, location, html } = await page(path);
      expect(status).toBe(303);
      expect(location).toMatch(/^\/en\/sign-in\/\?next=/);
      expect(html).not.toContain('@example.org');
    }
  });

  it('lists members for members, never indexed, with addresses only of those who opted in', async () => {
    await withServerDatabase(server.databaseUrl, async (db) => {
      await db.updateTable('users').set({ contactable: 1 }).where('email', '=', 'ridder@example.org').execute();
      await db.updateTable('users').set({ contactable: 0 }).where('email', '=', 'aksu@example.org').execute();
    });
    const { status, robots, html } = await page('/en/members/', 'temirtau@example.org');
    expect(status).toBe(200);
    expect(robots).toBe('noindex, nofollow');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow"');
    expect(html).toContain('Irina Sokolova');
    expect(html).toContain('Askar Zhumabayev');
    expect(html).toContain('mailto:ridder@example.org');
    expect(html).not.toContain('aksu@example.org');
    expect(html).toContain('Not open to contact');
    // Not in the sitemap.
    const sitemap = await (await request(server.url, '/sitemap-0.xml')).text();
    expect(sitemap).not.toContain('/members/');
  });

  it('shows editors every address, and closed accounts', async () => {
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('users').set({ disabled_at: 1 }).where('email', '=', 'zhanaozen@example.org').execute());
    const editor = await page('/en/members/?town=zhanaozen', 'editor@example.org');
    expect(editor.html).toContain('mailto:aksu@example.org'.replace('aksu', 'zhanaozen'));
    expect(editor.html).toContain('Account closed');
    const member = await page('/en/members/?town=zhanaozen', 'temirtau@example.org');
    expect(member.html).not.toContain('zhanaozen@example.org');
    expect(member.html).not.toContain('Account closed');
    expect((await page(`/en/members/${ids['zhanaozen@example.org']}/`, 'temirtau@example.org')).status).toBe(404);
    const closed = await page(`/en/members/${ids['zhanaozen@example.org']}/`, 'editor@example.org');
    expect(closed.status).toBe(200);
    expect(closed.html).toContain('This account is closed.');
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('users').set({ disabled_at: null }).where('email', '=', 'zhanaozen@example.org').execute());
    const everyone = await page('/en/members/?town=aksu', 'editor@example.org');
    expect(everyone.html).toContain('mailto:aksu@example.org');
  });

  it('filters by topic, town, region, language and name', async () => {
    const byTopic = await page('/en/members/?topic=utilities-housing', 'temirtau@example.org');
    expect(byTopic.status).toBe(200);
    expect(byTopic.html).toContain('<option value="utilities-housing" selected>');
    const people = (html: string) => [...html.matchAll(/<h3 class="person__name"[^>]*><a[^>]*>([^<]+)<\/a>/g)].map((match) => match[1]);
    expect(people(byTopic.html)).toContain('Irina Sokolova');
    expect(people((await page('/en/members/?town=ridder', 'temirtau@example.org')).html)).toEqual(['Irina Sokolova']);
    expect(people((await page('/en/members/?q=sokol', 'temirtau@example.org')).html)).toEqual(['Irina Sokolova']);
    expect(people((await page('/en/members/?region=east-kazakhstan&language=ru', 'temirtau@example.org')).html)).toContain('Irina Sokolova');
    const none = await page('/en/members/?q=nobody-by-this-name', 'temirtau@example.org');
    expect(none.html).toMatch(/Nobody matches these filters\. <a href="\/en\/members\/"[^>]*>Show everyone<\/a>/);
  });

  it('answers 400 with the form and a message for a bad filter, keeping the good ones', async () => {
    const bad = await page('/en/members/?topic=nope&town=atlantis&page=zero&q=sokol', 'temirtau@example.org');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Choose an area of expertise from the list.');
    expect(bad.html).toContain('Choose a town from the list.');
    expect(bad.html).toContain('The page number is not valid.');
    expect(bad.html).toContain('<form class="filters"');
    expect(bad.html).toContain('value="sokol"');
    expect(bad.html).toContain('Irina Sokolova');
    expect(bad.html).not.toMatch(/members\.filter|nope|atlantis/);
    const repeated = await page('/en/members/?town=ridder&town=aksu', 'temirtau@example.org');
    expect(repeated.status).toBe(400);
    expect(repeated.html).toContain('Give each filter once.');
    const long = await page(`/en/members/?q=${'x'.repeat(500)}`, 'temirtau@example.org');
    expect(long.status).toBe(400);
  });

  it('profiles link to requests answered, public groups and cases', async () => {
    const { status, html } = await page(`/en/members/${ids['ridder@example.org']}/`, 'temirtau@example.org');
    expect(status).toBe(200);
    expect(html).toContain('Requests answered');
    expect(html).toMatch(/href="\/en\/exchange\/\d+\/"/);
    expect(html).toContain('href="/en/groups/utilities-renewal/"');
    expect(html).toContain('Cases written');
    expect((await page('/en/members/not-an-id/', 'temirtau@example.org')).status).toBe(404);
  });
});
