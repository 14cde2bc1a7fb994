import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dictionaries, LANGUAGES } from '~/i18n/index.ts';
import { preferenceLabel } from '~/server/notifications/kinds.ts';
import { CHOOSABLE_KINDS, DELIVERY_LABELS } from '~/server/notifications/preferences.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

const server = useServer();
const SAVE = '/en/account/notifications/?_action=notifications.savePreferences';

/** The option selected in the select named `name`. */
function selectedIn(html: string, name: string): string | undefined {
  const select = new RegExp(`<select[^>]*name="${name.replace('.', '\\.')}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  expect(select, `a select named ${name}`).not.toBeNull();
  return /<option value="(\w+)" selected/.exec(select![1]!)?.[1];
}

/** What a reader sees: the page's text without tags, scripts and attributes. */
const visibleText = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(quot|#39|#x27|lt|gt|amp);/g, (_entity, name: string) => ({ quot: '"', '#39': "'", '#x27': "'", lt: '<', gt: '>', amp: '&' })[name]!);

describe('the notification settings page', () => {
  it('names every kind and every choice in kk, ru and en, with no placeholder or id on the page', async () => {
    const cookie = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    for (const lang of LANGUAGES) {
      const response = await request(server.url, `/${lang}/account/notifications/`, { cookie });
      expect(response.status).toBe(200);
      const text = visibleText(await response.text());
      expect(text, lang).not.toMatch(/\{\w+\}/);
      expect(text, lang).not.toContain('membership.application_received');
      for (const kind of CHOOSABLE_KINDS) expect(text, `${lang}: ${kind}`).toContain(dictionaries[lang][preferenceLabel(kind)]);
      for (const label of Object.values(DELIVERY_LABELS)) expect(text, lang).toContain(dictionaries[lang][label]);
      expect(text).toContain(dictionaries[lang]['digests.settings.security']);
    }
    // The label that used to show "New membership application from {town}".
    const english = visibleText(await (await request(server.url, '/en/account/notifications/', { cookie })).text());
    expect(english).toContain('New membership applications (editors)');
  });

  it('saves a choice per kind and shows it again', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const before = await (await request(server.url, '/en/account/notifications/', { cookie })).text();
    expect(selectedIn(before, 'exchange.new_request')).toBe('immediate');

    const saved = await postForm(server.url, SAVE, { 'exchange.new_request': 'daily', 'groups.reply_posted': 'weekly', 'cases.approved': 'never' }, { cookie });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Your email choices have been saved.');
    const after = await (await request(server.url, '/en/account/notifications/', { cookie })).text();
    expect(selectedIn(after, 'exchange.new_request')).toBe('daily');
    expect(selectedIn(after, 'groups.reply_posted')).toBe('weekly');
    expect(selectedIn(after, 'cases.approved')).toBe('never');
    expect(selectedIn(after, 'groups.mentioned')).toBe('immediate');
  });

  it('refuses a value it does not offer with 400 and a message, keeping what was chosen, saving nothing', async () => {
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const refused = await postForm(server.url, '/ru/account/notifications/?_action=notifications.savePreferences', { 'exchange.new_request': 'hourly', 'groups.reply_posted': 'weekly' }, { cookie });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('Выберите один из предложенных вариантов.');
    expect(html).toContain('error-summary');
    expect(selectedIn(html, 'groups.reply_posted')).toBe('weekly');
    expect(html).not.toMatch(/at \w+ \(|Error:/);
    const stored = await (await request(server.url, '/ru/account/notifications/', { cookie })).text();
    expect(selectedIn(stored, 'groups.reply_posted')).toBe('immediate');
  });

  it('never stores a choice for security notices, and needs a signed-in member', async () => {
    const cookie = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
    const forged = await postForm(server.url, SAVE, { 'security.password_changed': 'never' }, { cookie });
    expect(forged.status).toBe(200);
    const rows = await readRows(server.databaseUrl, sql<{ kind: string }>`select kind from notification_preferences where kind = ${'security.password_changed'}`);
    expect(rows).toEqual([]);

    const anonymous = await postForm(server.url, SAVE, { 'exchange.new_request': 'never' });
    expect(anonymous.status).toBe(303);
  });
});
