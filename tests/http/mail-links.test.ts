import { request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { mailTo, type OutboxMail } from '../helpers/outbox.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';

/**
 * Links in mail come from configuration, never from the request: this server runs
 * without ORIGIN (the `npm start` default), and every post is sent with a forged
 * `Host: evil.example` (and the matching Origin, as an attacker would send them).
 */
const server = useServer();
const EVIL = 'evil.example';

/** A same-"origin" form post to the server's socket that claims to be for `host`. */
function postWithHost(path: string, fields: Record<string, string>, options: { host: string; cookie?: string }): Promise<{ status: number; location: string | undefined }> {
  const target = new URL(server.url);
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        headers: {
          Host: options.host,
          Origin: `http://${options.host}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          ...(options.cookie ? { Cookie: options.cookie } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** A GET to the server's socket that claims to be for `host`; the answer's status and body. */
function getWithHost(path: string, options: { host: string; cookie?: string }): Promise<{ status: number; body: string }> {
  const target = new URL(server.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { hostname: target.hostname, port: target.port, path, headers: { Host: options.host, ...(options.cookie ? { Cookie: options.cookie } : {}) } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Mail to `email` beyond the first `before` messages, waiting briefly for a background send. */
async function newMail(email: string, before: number): Promise<OutboxMail[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const mail = await mailTo(server.databaseUrl, email);
    if (mail.length > before) return mail.slice(before);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}

/** Every absolute link in a message. */
const links = (mail: OutboxMail[]) => mail.flatMap((message) => message.text_body.match(/https?:\/\/\S+/g) ?? []);

describe('links in mail with ORIGIN unset and a forged Host', () => {
  let configured: string;
  beforeAll(() => {
    // The server listens on 127.0.0.1 and the port it was given: that is the configured address.
    configured = new URL(server.url).origin;
  });

  it('a password-reset request mails a link to the configured host and port, not to evil.example', async () => {
    const email = 'satpayev@example.org';
    const before = (await mailTo(server.databaseUrl, email)).length;
    const response = await postWithHost('/en/password/forgot/?_action=password.requestReset', { email }, { host: EVIL });
    expect(response.status).toBeLessThan(400);
    const found = links(await newMail(email, before));
    expect(found).toHaveLength(1);
    expect(found[0]).not.toContain(EVIL);
    expect(new URL(found[0]!).origin).toBe(configured);
  });

  it('a reply in a group thread mails its followers links to the configured host and port', async () => {
    const slug = 'utilities-renewal';
    const [group] = await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM groups WHERE slug = ${slug}`);
    const [thread] = await readRows(server.databaseUrl, sql<{ id: number }>`SELECT t.id FROM group_threads t WHERE t.group_id = ${group!.id} ORDER BY t.id LIMIT 1`);
    const follower = 'temirtau-admin@example.org';
    const before = (await mailTo(server.databaseUrl, follower)).length;
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const response = await postWithHost(
      `/en/groups/${slug}/threads/${thread!.id}/?_action=groups.reply`,
      { group: String(group!.id), thread: String(thread!.id), body: 'A reply sent with a forged Host header.' },
      { host: EVIL, cookie },
    );
    expect(response.status).toBe(303);
    const found = links(await newMail(follower, before));
    expect(found.length).toBeGreaterThan(0);
    for (const link of found) {
      expect(link).not.toContain(EVIL);
      expect(new URL(link).origin).toBe(configured);
    }
  });
});

describe('other absolute links with ORIGIN unset and a forged Host', () => {
  it('a meeting’s calendar file links to the configured host and port', async () => {
    const [meeting] = await readRows(server.databaseUrl, sql<{ id: number }>`SELECT m.id FROM group_meetings m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'utilities-renewal' ORDER BY m.id LIMIT 1`);
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const { status, body } = await getWithHost(`/en/groups/utilities-renewal/meetings/${meeting!.id}.ics`, { host: EVIL, cookie });
    expect(status).toBe(200);
    expect(body).not.toContain(EVIL);
    expect(body).toContain(`${new URL(server.url).origin}/en/groups/utilities-renewal/`);
  });

  it('the shareable link of a town comparison names the configured host and port', async () => {
    const { status, body } = await getWithHost('/en/towns/compare/', { host: EVIL });
    expect(status).toBe(200);
    expect(body).not.toContain(EVIL);
    expect(body).toContain(`>${new URL(server.url).origin}/en/towns/compare/`);
  });
});
