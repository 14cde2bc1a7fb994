import { describe, expect, it } from 'vitest';
import { localizedParams, notificationHref, notificationText, resolveParams } from '~/server/notifications/render.ts';

describe('notifications rendered in the viewer\'s language', () => {
  const group = { kk: 'Жылу', ru: 'Тепло', en: 'Heating' };

  it('keep a name\'s translations and a shared value once', () => {
    expect(localizedParams((lang) => ({ group: group[lang], author: 'Aigerim', count: 3 }))).toEqual({ group, author: 'Aigerim', count: 3 });
  });

  it('choose the viewer\'s translation and drop what is not text', () => {
    expect(resolveParams({ group, author: 'Aigerim', broken: { kk: 'only one' } }, 'ru')).toEqual({ group: 'Тепло', author: 'Aigerim' });
  });

  it('write the text from the kind in the viewer\'s language', () => {
    const params = JSON.stringify({ name: 'Lead', group });
    expect(notificationText('groups.added', params, 'en')).toContain('Heating');
    expect(notificationText('groups.added', params, 'ru')).toContain('Тепло');
    expect(notificationText('groups.added', params, 'kk')).not.toContain('Heating');
    // A damaged row still shows its kind's text.
    expect(notificationText('groups.added', '{', 'en')).toMatch(/\S/);
  });

  it('move a stored link into the viewer\'s language, with or without a stored one', () => {
    expect(notificationHref('/ru/exchange/5/#response-2', 'en')).toBe('/en/exchange/5/#response-2');
    expect(notificationHref('exchange/5/', 'kk')).toBe('/kk/exchange/5/');
    expect(notificationHref('/groups/heating/', 'ru')).toBe('/ru/groups/heating/');
  });
});
