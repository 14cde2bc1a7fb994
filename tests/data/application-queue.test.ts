import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { APPLICATIONS_PER_ADDRESS, countApplications, listApplications, type ApplicationKind } from '~/server/applications/queue.ts';
import type { Database } from '~/server/db/schema.ts';
import { applyForMembership, approveApplication, rejectApplication } from '~/server/membership/applications.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { applyAsPartner, approvePartner, rejectPartner } from '~/server/partners/applications.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { membershipApplication } from '../helpers/fixtures.ts';
import { testNotifier } from '../helpers/notified.ts';

/**
 * What the one application queue (src/server/applications/queue.ts) guarantees for both
 * kinds of applicant, each through its own workflows, on SQLite and PostgreSQL: a decision
 * is made once, the queue lists by status with counts, and each kind is throttled and
 * counted apart from the other.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
let editorId: string;
const ADDRESS = '203.0.113.9';

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  editorId = await insertUser(db, { email: 'editor@example.org', passwordHash: 'x', displayName: 'Editor', role: 'editor', townId: null, language: 'en' });
});
afterEach(() => cleanup());

/** Each kind's own workflows, called the same way. */
const KINDS: Record<ApplicationKind, {
  apply: (email: string, address?: string) => Promise<string>;
  approve: (id: number) => Promise<{ ok: boolean; problem?: string }>;
  reject: (id: number) => Promise<{ ok: boolean; problem?: string }>;
}> = {
  town: {
    apply: (email, address = ADDRESS) => applyForMembership(db, notifier, membershipApplication({ email, townName: `Town of ${email}` }), address),
    approve: (applicationId) => approveApplication(db, notifier.mailer, { applicationId, editorId, existingTownId: null, baseUrl: notifier.baseUrl, clientAddress: ADDRESS }),
    reject: (applicationId) => rejectApplication(db, notifier.mailer, { applicationId, editorId, reason: 'Not a town of the association.', clientAddress: ADDRESS }),
  },
  partner: {
    apply: (email, address = ADDRESS) =>
      applyAsPartner(db, notifier, { name: `Firm of ${email}`, kind: 'company', registrationNumber: '950340000123', sector: 'Energy', regions: ['karaganda'], contactName: 'Aliya Sarsenova', email, phone: '+7 721 000 00 00', motivation: 'We want to plan the heat supply together.', language: 'en' }, address),
    approve: (partnerId) => approvePartner(db, notifier, { partnerId, editorId, clientAddress: ADDRESS }),
    reject: (partnerId) => rejectPartner(db, notifier, { partnerId, editorId, reason: 'Not an organisation we work with.', clientAddress: ADDRESS }),
  },
};

const idOf = async (kind: ApplicationKind, email: string) => (await listApplications(db, kind, 'pending')).find((row) => row.email === email)!.id;

/** Everything a refused decision must leave alone. */
const snapshot = async () => ({
  towns: await db.selectFrom('membership_applications').selectAll().orderBy('id').execute(),
  partners: await db.selectFrom('partners').selectAll().orderBy('id').execute(),
  outbox: await db.selectFrom('email_outbox').select(['to_address', 'subject']).orderBy('id').execute(),
  audit: await db.selectFrom('audit_log').select(['action', 'target_id']).orderBy('id').execute(),
  tokens: await db.selectFrom('tokens').select(['purpose', 'email']).orderBy('email').execute(),
});

describe.each(['town', 'partner'] as const)('the application queue, for a %s', (kind) => {
  const workflows = KINDS[kind];

  it('decides once: approving or rejecting an approved or a rejected application is alreadyDecided, and writes nothing', async () => {
    await workflows.apply('yes@example.kz');
    await workflows.apply('no@example.kz');
    const approved = await idOf(kind, 'yes@example.kz');
    const rejected = await idOf(kind, 'no@example.kz');
    expect(await workflows.approve(approved)).toEqual({ ok: true });
    expect(await workflows.reject(rejected)).toEqual({ ok: true });
    const before = await snapshot();
    for (const id of [approved, rejected]) {
      expect(await workflows.approve(id)).toEqual({ ok: false, problem: 'alreadyDecided' });
      expect(await workflows.reject(id)).toEqual({ ok: false, problem: 'alreadyDecided' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an application that does not exist: notFound, for approving and rejecting', async () => {
    const before = await snapshot();
    expect(await workflows.approve(999_999)).toEqual({ ok: false, problem: 'notFound' });
    expect(await workflows.reject(999_999)).toEqual({ ok: false, problem: 'notFound' });
    expect(await snapshot()).toEqual(before);
  });

  it("lists by status, oldest first, with every status's count; the other kind's queue stays empty", async () => {
    for (const email of ['first@example.kz', 'second@example.kz', 'third@example.kz', 'fourth@example.kz']) await workflows.apply(email);
    await workflows.approve(await idOf(kind, 'second@example.kz'));
    await workflows.reject(await idOf(kind, 'third@example.kz'));
    const emails = async (status: 'pending' | 'approved' | 'rejected') => (await listApplications(db, kind, status)).map((row) => row.email);
    expect(await emails('pending')).toEqual(['first@example.kz', 'fourth@example.kz']);
    expect(await emails('approved')).toEqual(['second@example.kz']);
    expect(await emails('rejected')).toEqual(['third@example.kz']);
    expect(await countApplications(db, kind)).toEqual({ pending: 2, approved: 1, rejected: 1 });
    expect(await countApplications(db, kind === 'town' ? 'partner' : 'town')).toEqual({ pending: 0, approved: 0, rejected: 0 });
  });
});

describe('throttling, for both kinds', () => {
  it(`each kind allows ${APPLICATIONS_PER_ADDRESS.limit} applications a day from one address, counted apart from the other kind`, async () => {
    for (const kind of ['town', 'partner'] as const) {
      for (let i = 1; i <= APPLICATIONS_PER_ADDRESS.limit; i++) expect(await KINDS[kind].apply(`${kind}${i}@example.kz`), `${kind} ${i}`).toBe('submitted');
      expect(await KINDS[kind].apply(`${kind}-one-more@example.kz`)).toBe('throttled');
    }
    expect(await countApplications(db, 'town')).toEqual({ pending: APPLICATIONS_PER_ADDRESS.limit, approved: 0, rejected: 0 });
    expect(await countApplications(db, 'partner')).toEqual({ pending: APPLICATIONS_PER_ADDRESS.limit, approved: 0, rejected: 0 });
  });
});
