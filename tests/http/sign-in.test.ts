import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cookieFrom, postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { cookieAttributes, cookieValue, request, setCookieLine, SIGN_IN } from './support.ts';

const MEMBER = 'temirtau@example.org';

const server = useServer();

describe('signing in', () => {
  it('a right password answers 303 to the account page with an HttpOnly, SameSite=Lax, Path=/ cookie, not Secure over plain HTTP', async () => {
    const response = await postForm(server.url, SIGN_IN, { email: MEMBER, password: DEMO_PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/account/');
    const line = setCookieLine(response, 'qala_session');
    expect(line).toBeDefined();
    const attributes = cookieAttributes(line!);
    expect(attributes).toHaveProperty('httponly');
    expect(attributes.samesite?.toLowerCase()).toBe('lax');
    expect(attributes.path).toBe('/');
    expect(attributes).not.toHaveProperty('secure');
    expect(attributes).not.toHaveProperty('domain');
  });

  it('the session cookie opens the account page and the user menu shows who and which town', async () => {
    const cookie = await signIn(server.url, MEMBER, DEMO_PASSWORD);
    const account = await request(server.url, '/en/account/', { cookie });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('Yerlan Bekov');
    const menu = await (await request(server.url, '/en/user-menu/', { cookie })).text();
    expect(menu).toContain('Yerlan Bekov');
    expect(menu).toContain('Temirtau');
  });

  it('each sign-in gives a different session id', async () => {
    const first = await signIn(server.url, MEMBER, DEMO_PASSWORD);
    const second = await signIn(server.url, MEMBER, DEMO_PASSWORD);
    expect(cookieValue(first)).not.toBe(cookieValue(second));
    expect(cookieValue(first).length).toBeGreaterThanOrEqual(20);
  });

  it('signing in while already signed in ends the old session', async () => {
    const old = await signIn(server.url, MEMBER, DEMO_PASSWORD);
    const response = await postForm(server.url, SIGN_IN, { email: MEMBER, password: DEMO_PASSWORD }, { cookie: old });
    expect(response.status).toBe(303);
    const fresh = cookieFrom(response, 'qala_session');
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);

    const withOld = await (await request(server.url, '/en/user-menu/', { cookie: old })).text();
    expect(withOld).not.toContain('Yerlan Bekov');
    const withFresh = await (await request(server.url, '/en/user-menu/', { cookie: fresh })).text();
    expect(withFresh).toContain('Yerlan Bekov');
  });

  it('pages for a signed-in member are never cached (Cache-Control: no-store)', async () => {
    const cookie = await signIn(server.url, MEMBER, DEMO_PASSWORD);
    for (const path of ['/en/account/', '/en/user-menu/']) {
      const response = await request(server.url, path, { cookie });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('a session cookie that the server never issued signs nobody in and is cleared', async () => {
    const response = await request(server.url, '/en/account/', { cookie: 'qala_session=forgedforgedforgedforgedforgedforgedforg' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\//);
    expect(setCookieLine(response, 'qala_session')).toMatch(/^qala_session=;/);
  });
});

describe('the database never holds a usable session token', () => {
  it('sessions are stored as the SHA-256 of the cookie value, and the value itself is nowhere in the file', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const token = cookieValue(cookie);
    const expectedHash = createHash('sha256').update(token).digest('hex');

    const hashes = (await readRows(server.databaseUrl, sql<{ id_hash: string }>`SELECT id_hash FROM sessions`)).map((row) => row.id_hash);
    expect(hashes.length).toBeGreaterThan(0);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes).toContain(expectedHash);
    expect(hashes).not.toContain(token);

    // The raw bytes of a SQLite database and its log; PostgreSQL's files are the server's own.
    const files = server.databasePath ? [server.databasePath, `${server.databasePath}-wal`] : [];
    for (const file of files) {
      if (!existsSync(file)) continue;
      expect(readFileSync(file).includes(Buffer.from(token)), file).toBe(false);
    }
  });
});
