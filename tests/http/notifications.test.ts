import { describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

const server = useServer();

describe('a member’s notifications', () => {
  it('need a signed-in member', async () => {
    const response = await request(server.url, '/en/account/notifications/');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\/\?next=/);
  });

  it('tell the member their password changed, count as new in the menu, and can be marked read', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const change = await postForm(server.url, '/en/account/password/?_action=password.change', { current: DEMO_PASSWORD, password: 'a brand new passphrase' }, { cookie });
    expect(change.status).toBe(200);

    const menu = await (await request(server.url, '/en/user-menu/', { cookie })).text();
    expect(menu).toContain('Notifications (1 new)');
    const page = await (await request(server.url, '/en/account/notifications/', { cookie })).text();
    expect(page).toContain('Your password was changed');
    expect(page).toContain('notification--unread');

    const read = await postForm(server.url, '/en/account/notifications/?_action=notifications.markAllRead', {}, { cookie });
    expect(read.status).toBe(200);
    expect(await (await request(server.url, '/en/user-menu/', { cookie })).text()).not.toContain('new)');
  });

  it('cannot be marked read by someone signed out', async () => {
    const response = await postForm(server.url, '/en/account/notifications/?_action=notifications.markAllRead', {});
    expect(response.status).toBe(303);
  });
});
