import ICAL from 'ical.js';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * The public events calendar through the built server: the month view and its filters,
 * 400 with the form on a bad month or filter, the .ics of one event and the feed of a
 * language read by a real parser (ical.js), and group meetings there only when a lead
 * opened them and the group is public. The server has its own demo database.
 */
const server = useServer();
const LANGS = ['kk', 'ru', 'en'] as const;

const page = async (path: string) => {
  const response = await request(server.url, path);
  // Astro writes & in attributes as &#38;, and scoped styles add data-astro-cid-* attributes.
  const body = (await response.text()).replace(/&#38;|&amp;/g, '&').replace(/ data-astro-cid-\w+/g, '');
  return { status: response.status, body, type: response.headers.get('content-type') };
};
const month = (body: string) => body.slice(body.indexOf('class="month"'), body.indexOf('</table>'));
const events = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
const publicMeeting = async () => (await readRows(server.databaseUrl, sql<{ id: number; title: string; starts_at: number }>`SELECT id, title, starts_at FROM group_meetings WHERE is_public = 1 ORDER BY id LIMIT 1`))[0]!;
const monthOfSeconds = (seconds: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit' }).format(new Date(seconds * 1000)).slice(0, 7);

describe('the month view', () => {
  it.each(LANGS)('/%s/events/?view=month&month=2027-04 is a table of weeks with the forum on both its days', async (lang) => {
    const { status, body } = await page(`/${lang}/events/?view=month&month=2027-04`);
    expect(status).toBe(200);
    const grid = month(body);
    expect(grid).toContain('<caption');
    expect(grid.match(/<th scope="col">/g)).toHaveLength(7);
    expect(grid).toContain('datetime="2027-04-14"');
    expect(grid.match(new RegExp(`href="/${lang}/events/utilities-forum-2027/"`, 'g'))).toHaveLength(2);
    // The links to the months around keep the reader's language.
    expect(body).toContain(`href="/${lang}/events/?view=month&month=2027-03"`);
    expect(body).toContain(`href="/${lang}/events/?view=month&month=2027-05"`);
    expect(body).not.toMatch(/events\.(month|format|view)\./);
  });

  it('shows past and upcoming events of one month, and a public group meeting in its month', async () => {
    const december = month((await page('/en/events/?view=month&month=2026-12')).body);
    expect(december).toContain('href="/en/events/budget-clinic-2027/"');
    expect(december).toContain('href="/en/events/diversification-study-visit-zhezkazgan/"');
    const meeting = await publicMeeting();
    const withMeeting = month((await page(`/en/events/?view=month&month=${monthOfSeconds(meeting.starts_at)}`)).body);
    expect(withMeeting).toContain(meeting.title);
    expect(withMeeting).toContain('href="/en/groups/utilities-renewal/"');
  });

  it('filters by format, region, topic and language, and keeps them in the month links', async () => {
    const online = month((await page('/en/events/?view=month&month=2026-12&format=online')).body);
    expect(online).toContain('budget-clinic-2027');
    expect(online).not.toContain('diversification-study-visit-zhezkazgan');
    const ulytau = month((await page('/en/events/?view=month&month=2026-12&region=ulytau')).body);
    expect(ulytau).toContain('diversification-study-visit-zhezkazgan');
    expect(ulytau).not.toContain('budget-clinic-2027');
    const topic = await page('/en/events/?view=month&month=2026-12&topic=sme-support');
    expect(month(topic.body)).toContain('diversification-study-visit-zhezkazgan');
    expect(month(topic.body)).not.toContain('budget-clinic-2027');
    expect(topic.body).toContain('href="/en/events/?topic=sme-support&view=month&month=2027-01"');
    // The filter form carries the month on.
    expect(topic.body).toContain('<input type="hidden" name="month" value="2026-12"');
  });

  it('the list view filters by format too', async () => {
    const { body } = await page('/en/events/?format=hybrid');
    expect(body).toContain('href="/en/events/utilities-forum-2027/"');
    expect(body).not.toContain('href="/en/events/budget-clinic-2027/"');
  });

  it.each([
    ['view=month&month=2026-13', 'The month in the address is not a month'],
    ['view=month&month=december', 'The month in the address is not a month'],
    ['view=year', 'The view in the address is neither the list nor the month'],
    ['view=month&format=zoom', 'The format in the address is not one of in person, online or hybrid.'],
    ['view=month&region=atlantis', 'The region in the address does not exist.'],
  ])('?%s answers 400 with the form shown again', async (query, message) => {
    const { status, body } = await page(`/en/events/?${query}`);
    expect(status).toBe(400);
    expectCleanClientError(status, body);
    expect(body).toContain(message);
    expect(body).toContain('<form class="filters" method="get" action="/en/events/"');
    expect(body).not.toContain('class="month__grid"');
  });
});

describe('calendar files', () => {
  it.each(LANGS)('/%s/events/<slug>.ics is one event ical.js reads, CRLF and folded', async (lang) => {
    const { status, body, type } = await page(`/${lang}/events/utilities-forum-2027.ics`);
    expect(status).toBe(200);
    expect(type).toBe('text/calendar; charset=utf-8');
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const [event, ...more] = events(body);
    expect(more).toHaveLength(0);
    expect(event!.uid).toMatch(/^event-utilities-forum-2027@/);
    expect(event!.startDate.toJSDate().toISOString()).toBe('2027-04-14T04:30:00.000Z');
    expect(event!.endDate.toJSDate().toISOString()).toBe('2027-04-15T12:00:00.000Z');
    expect(event!.description).toContain(`/${lang}/events/utilities-forum-2027/`);
    // A hybrid event whose link goes to registered participants: the place, never a made-up link.
    expect(event!.location).toMatch(/Ridder|Риддер/);
    expect(event!.location).not.toContain('example.org');
  });

  it('each event page links its .ics in the reader’s language, and the section links the feed', async () => {
    expect((await page('/ru/events/utilities-forum-2027/')).body).toContain('href="/ru/events/utilities-forum-2027.ics"');
    expect((await page('/kk/events/')).body).toContain('href="/kk/events/calendar.ics"');
  });

  it('an unknown event has no calendar file', async () => {
    for (const path of ['/en/events/no-such-event.ics', '/en/events/..%2Fsecret.ics']) expect((await page(path)).status).toBe(404);
  });

  it.each(LANGS)('/%s/events/calendar.ics is a feed of the events written in that language and the public meeting', async (lang) => {
    const { status, body, type } = await page(`/${lang}/events/calendar.ics`);
    expect(status).toBe(200);
    expect(type).toBe('text/calendar; charset=utf-8');
    expect(body.endsWith('\r\n')).toBe(true);
    for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const uids = events(body).map((event) => event.uid.split('@')[0]);
    expect(uids).toContain('event-utilities-forum-2027');
    expect(uids).toContain(`group-meeting-${(await publicMeeting()).id}`);
    // The annual assembly is written in Kazakh and Russian only.
    expect(uids.includes('event-annual-assembly-2026')).toBe(lang !== 'en');
    for (const event of events(body)) expect(event.startDate.zone?.tzid).toBe('UTC');
  });
});

describe('group meetings in the public calendar', () => {
  let lead: string;
  let privateLead: string;
  beforeAll(async () => {
    lead = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
    privateLead = await signIn(server.url, 'ekibastuz@example.org', DEMO_PASSWORD);
  });
  const groupId = async (slug: string) => (await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM groups WHERE slug = ${slug}`))[0]!.id;
  const meeting = (id: number, title: string, extra: Record<string, string> = {}) => ({ group: String(id), title, date: '2027-03-10', time: '15:00', duration: '90', place: 'Akimat, room 2', link: '', agenda: 'Open to guests.', ...extra });
  const feed = async () => (await page('/en/events/calendar.ics')).body;

  it('the lead’s checkbox opens a meeting of a public group; unticked it stays members-only', async () => {
    const id = await groupId('utilities-renewal');
    expect((await page('/en/groups/utilities-renewal/lead/')).status).not.toBe(200);
    const form = await request(server.url, '/en/groups/utilities-renewal/lead/', { cookie: lead });
    expect(await form.text()).toContain('name="isPublic"');
    expect((await postForm(server.url, '/en/groups/utilities-renewal/lead/?_action=groups.announceMeeting', meeting(id, 'Open session on tariffs', { isPublic: 'on' }), { cookie: lead })).status).toBe(200);
    expect((await postForm(server.url, '/en/groups/utilities-renewal/lead/?_action=groups.announceMeeting', meeting(id, 'Closed session on contractors'), { cookie: lead })).status).toBe(200);
    const body = await feed();
    expect(body).toContain('Open session on tariffs');
    expect(body).not.toContain('Closed session on contractors');
    expect(month((await page('/en/events/?view=month&month=2027-03')).body)).toContain('Open session on tariffs');
  });

  it('a private group’s meeting never appears, even if asked to be public or flagged in the database', async () => {
    const id = await groupId('municipal-finance');
    const form = await request(server.url, '/en/groups/municipal-finance/lead/', { cookie: privateLead });
    expect(await form.text()).not.toContain('name="isPublic"');
    expect((await postForm(server.url, '/en/groups/municipal-finance/lead/?_action=groups.announceMeeting', meeting(id, 'Budget secrets review', { isPublic: 'on' }), { cookie: privateLead })).status).toBe(200);
    const stored = await readRows(server.databaseUrl, sql<{ is_public: number }>`SELECT is_public FROM group_meetings WHERE title = 'Budget secrets review'`);
    expect(stored.map((row) => Number(row.is_public))).toEqual([0]);
    // Written here on purpose: the flag alone must not publish a private group's meeting.
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('group_meetings').set({ is_public: 1 }).where('title', '=', 'Budget secrets review').execute());
    expect(await feed()).not.toContain('Budget secrets review');
    expect(month((await page('/en/events/?view=month&month=2027-03')).body)).not.toContain('Budget secrets review');
  });
});
