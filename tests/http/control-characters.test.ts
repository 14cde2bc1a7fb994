import { sql, type RawBuilder } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError } from './support.ts';

/**
 * Text with NUL or other control characters, or that was not valid UTF-8 (the platform
 * decodes such bytes to U+FFFD), is refused with 400 and a message beside the field, in
 * the page's language, and nothing is stored. One shared rule (src/actions/fields.ts)
 * does it for every action; these are representative forms.
 */
const server = useServer();
const rows = <T>(query: RawBuilder<T>) => readRows(server.databaseUrl, query);
const count = async (query: RawBuilder<{ n: number | string }>) => Number((await rows(query))[0]!.n);

const MESSAGE_EN = 'This contains invisible control characters or damaged text (shown as �). Remove them and send it again.';
const MESSAGE_RU = 'Здесь есть невидимые управляющие символы или повреждённый текст (показан как �). Удалите их и отправьте снова.';

/** What a hostile or broken client may put inside a field. */
const BAD: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['escape', 'a\u001b[31mb'],
  ['bell', 'a\u0007b'],
  ['DEL', 'a\u007fb'],
  ['C1 control', 'a\u0085b'],
  ['U+FFFD (invalid UTF-8)', 'a\ufffdb'],
];

let member: string;
let memberRu: string;
beforeAll(async () => {
  member = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
  memberRu = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
});

/** The summary line for a field: its label and the message (see ErrorSummary.astro). */
const named = (label: string, message = MESSAGE_EN) => `${label}: ${message}`;

describe('an exchange request', () => {
  const VALID = {
    title: 'Energy audits of school buildings',
    body: 'Our twelve schools lose heat through old windows. How did other towns organise energy audits?',
    helpForms: ['advice'],
    topics: ['utilities-housing'],
    languages: ['ru'],
    urgency: 'normal',
    intent: 'draft',
  };
  const stored = () => count(sql<{ n: number }>`SELECT count(*) AS n FROM help_requests`);

  it.each(BAD)('with %s in the title: 400, the field named, nothing stored', async (_, bad) => {
    const before = await stored();
    const response = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { ...VALID, title: `Energy ${bad} audits` }, { cookie: member });
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).toContain(named('Title'));
    expectCleanClientError(response.status, body);
    expect(await stored()).toBe(before);
  });

  it('with bytes that are not UTF-8 in the title (sent raw, %FF): 400, the field named, nothing stored', async () => {
    const before = await stored();
    const fields = new URLSearchParams({ ...VALID, title: 'Energy audits of schools' } as unknown as Record<string, string>);
    for (const name of ['helpForms', 'topics', 'languages'] as const) fields.set(name, VALID[name][0]!);
    const response = await fetch(new URL('/en/exchange/new/?_action=exchange.saveRequest', server.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(server.url).origin, Cookie: member },
      body: fields.toString().replace('Energy+audits', 'Energy%FF%FEaudits'),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(named('Title'));
    expect(await stored()).toBe(before);
  });

  it('with NUL in the body: 400, the field named, nothing stored; a tab and line breaks are fine', async () => {
    const before = await stored();
    const refused = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { ...VALID, body: `${VALID.body}\u0000` }, { cookie: member });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(named('What your town needs, and why'));
    expect(await stored()).toBe(before);
    const accepted = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { ...VALID, body: `${VALID.body}\r\n\tIndented line.` }, { cookie: member });
    expect(accepted.status).toBe(303);
    expect(await stored()).toBe(before + 1);
  });
});

describe('a group thread', () => {
  const slug = 'utilities-renewal';
  const stored = () => count(sql<{ n: number }>`SELECT count(*) AS n FROM group_threads`);

  it.each(BAD)('with %s in the title: 400 with the field named in Russian, nothing stored', async (_, bad) => {
    const [group] = await rows(sql<{ id: number }>`SELECT id FROM groups WHERE slug = ${slug}`);
    const before = await stored();
    const response = await postForm(server.url, `/ru/groups/${slug}/?_action=groups.createThread`, { group: String(group!.id), title: `Тема ${bad}`, body: 'Текст.' }, { cookie: memberRu });
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).toContain(named('Заголовок', MESSAGE_RU));
    expect(await stored()).toBe(before);
  });

  it('a tab in a one-line title is refused too', async () => {
    const [group] = await rows(sql<{ id: number }>`SELECT id FROM groups WHERE slug = ${slug}`);
    const response = await postForm(server.url, `/en/groups/${slug}/?_action=groups.createThread`, { group: String(group!.id), title: 'Tab\there', body: 'Text.' }, { cookie: memberRu });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(named('Title'));
  });
});

describe('the profile', () => {
  const profile = async () => (await rows(sql`SELECT display_name, position, expertise_keywords, bio FROM users WHERE email = 'temirtau-admin@example.org'`))[0];
  const FIELDS = { displayName: 'Serik Akhmetov', position: 'Deputy akim', keywords: 'heating', bio: 'Twenty years.' };

  it.each([
    ['displayName', 'Name'],
    ['position', 'Position'],
    ['keywords', 'Keywords'],
    ['bio', 'About you'],
  ])('NUL in %s: 400, the field named, the profile unchanged', async (field, label) => {
    const before = await profile();
    const response = await postForm(server.url, '/en/account/profile/?_action=profile.update', { ...FIELDS, [field]: 'x\u0000y' }, { cookie: member });
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).toContain(MESSAGE_EN);
    expect(body).toContain(`<a href="#field-${field}">`);
    expect(body).toContain(named(label));
    expect(await profile()).toEqual(before);
  });
});

describe('a membership application', () => {
  const APPLICATION = {
    townName: 'Zhanatas',
    region: 'zhambyl',
    population: '21000',
    mainIndustry: 'Phosphate mining',
    contactName: 'Aigerim Seitova',
    email: 'a.seitova@zhanatas.example.kz',
    phone: '+7 (72634) 6-12-34',
    motivation: 'We want to learn from other monotowns and share our own experience.',
  };
  const stored = () => count(sql<{ n: number }>`SELECT count(*) AS n FROM membership_applications`);

  it.each([
    ['townName', 'Name of the town'],
    ['motivation', 'Why does the town want to join?'],
  ])('control characters in %s: 400, the field named, nothing stored', async (field, label) => {
    const before = await stored();
    const response = await postForm(server.url, '/en/membership/apply/?_action=membership.apply', { ...APPLICATION, [field]: `${APPLICATION[field as keyof typeof APPLICATION]}\u0000\u0001` });
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).toContain(named(label));
    expect(await stored()).toBe(before);
  });
});
