import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dictionaries } from '~/i18n/index.ts';
import { formatDateTime } from '~/lib/format.ts';
import { notifyMembers } from '~/server/groups/notify.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { testNotifier } from '../helpers/notified.ts';
import { lastMailTo, linkIn, userIdOf } from '../helpers/outbox.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { htmlLang, request } from './support.ts';

/**
 * The interface language is the reader's: links into items written in other languages,
 * notifications and reset links never move the reader out of the language they read.
 */
const server = useServer();

async function get(path: string, cookie?: string): Promise<string> {
  const response = await request(server.url, path, cookie ? { headers: { Cookie: cookie } } : {});
  expect(response.status, path).toBe(200);
  return response.text();
}

const mainOf = (html: string) => html.match(/<main[^>]*>([\s\S]*)<\/main>/)?.[1] ?? '';

describe('an item written only in Kazakh, read in English', () => {
  it('the English list links it under /en/', async () => {
    const body = await get('/en/resources/?language=kk');
    expect(body).toContain('<a href="/en/resources/sme-support-toolkit/" hreflang="kk" lang="kk">');
    expect(body).not.toMatch(/class="item-card__title"><a href="\/kk\//);
  });

  it('its page is the English interface with the Kazakh text marked and a notice in English', async () => {
    const html = await get('/en/resources/sme-support-toolkit/');
    expect(htmlLang(html)).toBe('en');
    const main = mainOf(html);
    expect(main).toMatch(/<h1 lang="kk">/);
    expect(main).toMatch(/<div class="prose" lang="kk">/);
    expect(main).toContain(dictionaries.en['textLanguage.notice'].replace('{language}', dictionaries.en['language.kk']));
    expect(main).toContain(`<a href="/kk/resources/sme-support-toolkit/" hreflang="kk">${dictionaries.en['language.kk']}</a>`);
    // The interface around it stays English.
    expect(html).toContain(`>${dictionaries.en['nav.home']}<`);
  });

  it('a member case in Russian only keeps a Kazakh reader in Kazakh', async () => {
    const html = await get('/kk/cases/saran-water-metering/');
    expect(htmlLang(html)).toBe('kk');
    expect(mainOf(html)).toContain(dictionaries.kk['textLanguage.notice'].replace('{language}', dictionaries.kk['language.ru']));
  });
});

describe('notifications', () => {
  it('are written and linked in the language the member reads, not the one stored', async () => {
    const email = 'temirtau@example.org';
    const userId = await userIdOf(server.databaseUrl, email);
    const group = { kk: 'Коммуналдық желілерді жаңарту', ru: 'Обновление коммунальных сетей', en: 'Utilities renewal' };
    const startsAt = new Date('2027-01-20T06:00:00Z');
    await withServerDatabase(server.databaseUrl, (db) =>
      notifyMembers(db, testNotifier(db).mailer, {
        recipients: [userId],
        actorId: null,
        kind: 'groups.meeting_announced',
        params: (lang) => ({ title: 'Winter readiness call', group: group[lang], when: formatDateTime(startsAt, lang) }),
        link: 'groups/utilities-renewal/',
        baseUrl: 'https://qala.test',
      }),
    );
    // The member's stored language is Kazakh: the link is stored under /kk/.
    const [row] = await readRows(server.databaseUrl, sql<{ link: string }>`select link from notifications where user_id = ${userId} order by id desc`);
    expect(row!.link).toBe('/kk/groups/utilities-renewal/');

    const cookie = await signIn(server.url, email, DEMO_PASSWORD);
    const english = mainOf(await get('/en/account/notifications/', cookie));
    expect(english).toMatch(/<a href="\/en\/groups\/utilities-renewal\/"[ >]/);
    expect(english).toContain(group.en);
    expect(english).toContain(formatDateTime(startsAt, 'en'));
    expect(english).not.toContain(group.kk);
    expect(english).not.toContain('/kk/groups/');

    // The member switches to Russian: the same notification reads Russian.
    const russian = mainOf(await get('/ru/account/notifications/', cookie));
    expect(russian).toMatch(/<a href="\/ru\/groups\/utilities-renewal\/"[ >]/);
    expect(russian).toContain(group.ru);
    expect(russian).toContain(formatDateTime(startsAt, 'ru'));
    expect(russian).not.toContain(group.en);

    // The member home lists it the same way.
    const home = mainOf(await get('/en/account/', cookie));
    expect(home).toContain(group.en);
    expect(home).not.toContain('[object Object]');
  });
});

describe('a password reset or an email change', () => {
  it('asked for from /en/ sends an English mail whose link opens /en/', async () => {
    // The editor's stored language is Russian; the reset was asked for in English.
    const email = 'editor@example.org';
    const response = await postForm(server.url, '/en/password/forgot/?_action=password.requestReset', { email });
    expect(response.status).toBeLessThan(400);
    const mail = await lastMailTo(server.databaseUrl, email);
    expect(mail.language).toBe('en');
    expect(linkIn(mail, new URL(mail.text_body.match(/https?:\/\/\S+/)![0]).origin)).toMatch(/^\/en\/password\/reset\/\?token=/);
  });

  it('asked for from /kk/ opens /kk/', async () => {
    const email = 'ridder@example.org';
    await postForm(server.url, '/kk/password/forgot/?_action=password.requestReset', { email });
    const mail = await lastMailTo(server.databaseUrl, email);
    expect(mail.language).toBe('kk');
    expect(mail.text_body).toMatch(/\/kk\/password\/reset\/\?token=/);
  });

  it('an email change asked for from /en/ confirms in English, under /en/', async () => {
    // The member's stored language is Kazakh.
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    await postForm(server.url, '/en/account/email/?_action=password.requestEmailChange', { email: 'yerlan.new@example.org', password: DEMO_PASSWORD }, { cookie });
    const mail = await lastMailTo(server.databaseUrl, 'yerlan.new@example.org');
    expect(mail.language).toBe('en');
    expect(mail.text_body).toMatch(/\/en\/account\/email\/confirm\/\?token=/);
  });
});
