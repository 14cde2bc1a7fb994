import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { createLucia, type Auth, type CurrentUser } from '~/server/auth/lucia.ts';
import { startSession } from '~/server/auth/session.ts';
import type { Database } from '~/server/db/schema.ts';
import { applyForMembership, approveApplication } from '~/server/membership/applications.ts';
import { removeColleague } from '~/server/membership/colleagues.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { membershipApplication } from '../helpers/fixtures.ts';
import { notified, testNotifier } from '../helpers/notified.ts';

/**
 * Membership's workflows without HTTP: an application tells the editors, approving it
 * writes the town, the decision, the audit entry and the invitation; a town
 * administrator removing a colleague disables the account as the accounts domain does.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
let auth: Auth;
let editorId: string;
const ADDRESS = '203.0.113.5';

const application = membershipApplication({ language: 'ru' });

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  auth = createLucia(db, { production: false });
  editorId = await insertUser(db, { email: 'editor@example.org', passwordHash: 'x', displayName: 'Editor', role: 'editor', townId: null, language: 'en' });
});
afterEach(() => cleanup());

describe('membership workflows', () => {
  it('an application notifies every editor and administrator; a duplicate tells nobody again', async () => {
    const adminId = await insertUser(db, { email: 'admin@example.org', passwordHash: 'x', displayName: 'Admin', role: 'admin', townId: null, language: 'kk' });
    await insertUser(db, { email: 'member@example.org', passwordHash: 'x', displayName: 'Member', role: 'member', townId: null, language: 'en' });
    expect(await applyForMembership(db, notifier, application, ADDRESS)).toBe('submitted');
    expect(await applyForMembership(db, notifier, application, ADDRESS)).toBe('duplicate');
    expect((await notified(db)).map((row) => [row.userId, row.kind, row.link, row.params]).sort()).toEqual(
      [
        [editorId, 'membership.application_received', '/en/editor/applications/', { town: 'Zhanatas' }],
        [adminId, 'membership.application_received', '/kk/editor/applications/', { town: 'Zhanatas' }],
      ].sort(),
    );
  });

  it('approving an application writes the town, the decision, the audit entry and the invitation', async () => {
    await applyForMembership(db, notifier, application, ADDRESS);
    const { id } = await db.selectFrom('membership_applications').select('id').executeTakeFirstOrThrow();
    expect(await approveApplication(db, notifier.mailer, { applicationId: id, editorId, existingTownId: null, baseUrl: notifier.baseUrl, clientAddress: ADDRESS })).toEqual({ ok: true });

    const town = await db.selectFrom('towns').select(['id', 'slug', 'name_en', 'region', 'population', 'main_industry']).executeTakeFirstOrThrow();
    expect(town).toMatchObject({ slug: 'zhanatas', name_en: 'Zhanatas', region: 'zhambyl', population: 21_000, main_industry: 'Phosphate mining' });
    expect(await db.selectFrom('membership_applications').select(['status', 'town_id', 'decided_by']).executeTakeFirstOrThrow()).toEqual({ status: 'approved', town_id: town.id, decided_by: editorId });
    expect(await db.selectFrom('audit_log').select(['actor_id', 'action', 'target_id', 'details']).where('action', '=', 'application.approved').execute()).toEqual([
      { actor_id: editorId, action: 'application.approved', target_id: String(id), details: JSON.stringify({ townId: town.id }) },
    ]);
    expect(await db.selectFrom('tokens').select('purpose').execute()).toEqual([{ purpose: 'invitation' }]);
    const invitation = (await db.selectFrom('email_outbox').select(['to_address', 'language', 'text_body']).orderBy('id').execute()).at(-1)!;
    expect(invitation).toMatchObject({ to_address: 'akimat@zhanatas.example.kz', language: 'ru' });
    expect(invitation.text_body).toContain(`${notifier.baseUrl}/ru/invitation/?token=`);
  });

  it('removing a colleague disables the account, detaches it from the town, ends its sessions and is audited', async () => {
    const townId = (await db.insertInto('towns').values({ slug: 'ridder', name_kk: 'Риддер', name_ru: 'Риддер', name_en: 'Ridder', region: 'east-kazakhstan', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow()).id;
    const adminId = await insertUser(db, { email: 'akim@ridder.example.kz', passwordHash: 'x', displayName: 'Akim', role: 'town_admin', townId, language: 'ru' });
    const memberId = await insertUser(db, { email: 'specialist@ridder.example.kz', passwordHash: 'x', displayName: 'Specialist', role: 'member', townId, language: 'ru' });
    const admin: CurrentUser = { id: adminId, email: 'akim@ridder.example.kz', displayName: 'Akim', role: 'town_admin', language: 'ru', disabled: false, town: { id: townId, slug: 'ridder', name: { kk: 'Риддер', ru: 'Риддер', en: 'Ridder' } } };
    await startSession(auth, memberId);
    expect(await auth.getUserSessions(memberId)).toHaveLength(1);

    expect(await removeColleague(db, auth, { actor: admin, userId: adminId, clientAddress: ADDRESS })).toBe(false);
    expect(await removeColleague(db, auth, { actor: admin, userId: memberId, clientAddress: ADDRESS })).toBe(true);
    expect(await removeColleague(db, auth, { actor: admin, userId: memberId, clientAddress: ADDRESS })).toBe(false);

    const removed = await db.selectFrom('users').select(['disabled_at', 'town_id']).where('id', '=', memberId).executeTakeFirstOrThrow();
    expect(removed.disabled_at).not.toBeNull();
    expect(removed.town_id).toBeNull();
    expect(await auth.getUserSessions(memberId)).toEqual([]);
    expect(await db.selectFrom('audit_log').select(['actor_id', 'action', 'target_id', 'details']).execute()).toEqual([
      { actor_id: adminId, action: 'account.disabled', target_id: memberId, details: JSON.stringify({ removedFromTown: true }) },
    ]);
  });
});
