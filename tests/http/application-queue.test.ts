import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * The editors' one application queue over HTTP, for both kinds (towns at
 * /editor/applications/, partners at /editor/partners/): the same refusal of a second
 * decision, the same 404 for an application that does not exist, and the same tabs by
 * status with their counts.
 */
const server = useServer();

const APPLICANT = { contactName: 'Aliya Sarsenova', phone: '+7 721 000 00 00', motivation: 'We want to learn from the other towns and work with them.' };
const QUEUES = {
  town: {
    queue: '/en/editor/applications/',
    action: 'membership',
    idField: 'application',
    approveFields: { town: 'new' },
    table: 'membership_applications',
    apply: (email: string) =>
      postForm(server.url, '/en/membership/apply/?_action=membership.apply', { ...APPLICANT, email, townName: 'Karazhal', region: 'ulytau', population: '17000', mainIndustry: 'Iron ore' }),
  },
  partner: {
    queue: '/en/editor/partners/',
    action: 'partners',
    idField: 'partner',
    approveFields: {},
    table: 'partners',
    apply: (email: string) =>
      postForm(server.url, '/en/partners/apply/?_action=partners.apply', { ...APPLICANT, email, name: 'Karaganda Heat', kind: 'company', registrationNumber: '950340000123', sector: 'Energy', regions: ['karaganda'] }),
  },
} as const;

let editor: string;
beforeAll(async () => {
  editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
});

describe.each(['town', 'partner'] as const)("the queue of a %s's applications", (kind) => {
  const queue = QUEUES[kind];
  const decide = (id: number, decision: 'approve' | 'reject') =>
    postForm(server.url, `${queue.queue}${id}/?_action=${queue.action}.${decision}`, { [queue.idField]: String(id), ...(decision === 'reject' ? { reason: 'Not one we can take in now.' } : queue.approveFields) }, { cookie: editor });
  const pendingId = async (email: string) => {
    expect((await queue.apply(email)).status).toBe(200);
    const rows = await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM ${sql.table(queue.table)} WHERE email = ${email} AND status = 'pending'`);
    return rows[0]!.id;
  };
  const mailCount = async () => Number((await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM email_outbox`))[0]!.n);

  it('a second decision, either way: 409 "already been decided", nothing more sent', async () => {
    const id = await pendingId(`twice-${kind}@example.kz`);
    expect((await decide(id, kind === 'town' ? 'reject' : 'approve')).status).toBe(200);
    const mail = await mailCount();
    for (const decision of ['approve', 'reject'] as const) {
      const again = await decide(id, decision);
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('This application has already been decided; nothing was changed.');
    }
    expect(await mailCount()).toBe(mail);
  });

  it('an application that does not exist: 404 for opening, approving and rejecting', async () => {
    expect((await request(server.url, `${queue.queue}999999/`, { cookie: editor })).status).toBe(404);
    expect((await decide(999_999, 'approve')).status).toBe(404);
    expect((await decide(999_999, 'reject')).status).toBe(404);
  });

  it("the tabs count each status's applications, and the status shown lists them", async () => {
    const counted = async (status: string) => {
      const rows = await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(queue.table)} WHERE status = ${status}`);
      return Number(rows[0]!.n);
    };
    await pendingId(`counted-${kind}@example.kz`);
    const page = await (await request(server.url, `${queue.queue}?status=rejected`, { cookie: editor })).text();
    expect(page).toContain(`<a href="?status=pending">Waiting for review (${await counted('pending')})</a>`);
    expect(page).toContain(`<a href="?status=approved">Approved (${await counted('approved')})</a>`);
    expect(page).toContain(`<span aria-current="page">Rejected (${await counted('rejected')})</span>`);
    expect(await counted('pending')).toBeGreaterThan(0);
  });
});
