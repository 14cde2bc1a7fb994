import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { findCase } from '~/server/cases/cases.ts';
import { reviewCase, takeCaseDown, writeCase } from '~/server/cases/workflows.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { completeCase } from '../helpers/fixtures.ts';
import { notified, testNotifier } from '../helpers/notified.ts';

/**
 * A case's workflows without HTTP: submitting tells the editors, a decision or an
 * unpublishing tells the authors why, and each is audited.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
let author: CurrentUser;
let colleague: CurrentUser;
let editor: CurrentUser;
const ADDRESS = '203.0.113.7';

async function user(email: string, role: Role, town: { id: number; slug: string } | null, language: 'en' | 'ru' = 'en'): Promise<CurrentUser> {
  const id = await insertUser(db, { email, passwordHash: 'x', displayName: email.split('@')[0]!, role, townId: town?.id ?? null, language }, 1);
  return { id, email, displayName: email, role, language, disabled: false, town: town ? { id: town.id, slug: town.slug, name: { kk: 'Серебрянск', ru: 'Серебрянск', en: 'Serebryansk' } } : null };
}

const complete = () => completeCase();

const audit = () => db.selectFrom('audit_log').select(['actor_id', 'action', 'target_id']).orderBy('id').execute();

/** A case written by the author, saved by a colleague, and submitted; returns its id and version. */
async function submitted(): Promise<{ id: number; version: number }> {
  const started = await writeCase(db, notifier, author, { version: 1, content: complete(), submit: false, clientAddress: ADDRESS });
  if (!started.ok) throw new Error(started.problem);
  const saved = await writeCase(db, notifier, colleague, { id: started.id, version: 1, content: complete(), submit: true, clientAddress: ADDRESS });
  if (!saved.ok) throw new Error(saved.problem);
  return { id: started.id, version: (await findCase(db, started.id))!.version };
}

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  const row = await db
    .insertInto('towns')
    .values({ slug: 'serebryansk', name_kk: 'Серебрянск', name_ru: 'Серебрянск', name_en: 'Serebryansk', region: 'east-kazakhstan', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  author = await user('author@example.org', 'member', { id: row.id, slug: 'serebryansk' });
  colleague = await user('colleague@example.org', 'town_admin', { id: row.id, slug: 'serebryansk' }, 'ru');
  editor = await user('editor@example.org', 'editor', null);
});
afterEach(() => cleanup());

describe('case workflows', () => {
  it('saving tells nobody; submitting tells every editor and is audited', async () => {
    const started = await writeCase(db, notifier, author, { version: 1, content: complete(), submit: false, clientAddress: ADDRESS });
    expect(started).toMatchObject({ ok: true });
    expect(await notified(db)).toEqual([]);

    const { id } = await submitted();
    expect(await notified(db)).toEqual([{ userId: editor.id, kind: 'cases.submitted', link: `/en/editor/cases/${id}/`, params: { title: 'Serebryansk: one desk for small business', town: 'Serebryansk' } }]);
    expect(await audit()).toEqual([{ actor_id: colleague.id, action: 'case.submitted', target_id: String(id) }]);
  });

  it('approving notifies its authors and is audited', async () => {
    const { id, version } = await submitted();
    const outcome = await reviewCase(db, notifier, editor, { id, version, decision: 'approve', reason: null, reservedSlugs: new Set(), clientAddress: ADDRESS });
    expect(outcome).toMatchObject({ ok: true, slug: 'serebryansk-one-desk-for-small-business' });
    expect((await notified(db, 'cases.approved')).map((row) => [row.userId, row.link]).sort()).toEqual(
      [
        [author.id, `/en/account/cases/${id}/`],
        [colleague.id, `/ru/account/cases/${id}/`],
      ].sort(),
    );
    expect((await audit()).map((entry) => entry.action)).toEqual(['case.submitted', 'case.approved']);
  });

  it('sending back notifies its authors with the reason; a stale decision changes and tells nothing', async () => {
    const { id, version } = await submitted();
    const stale = await reviewCase(db, notifier, editor, { id, version: version - 1, decision: 'requestChanges', reason: 'Add the budget.', reservedSlugs: new Set(), clientAddress: ADDRESS });
    expect(stale).toEqual({ ok: false, problem: 'stale' });
    expect(await notified(db, 'cases.changes_requested')).toEqual([]);

    expect(await reviewCase(db, notifier, editor, { id, version, decision: 'requestChanges', reason: 'Add the budget.', reservedSlugs: new Set(), clientAddress: ADDRESS })).toMatchObject({ ok: true });
    const told = await notified(db, 'cases.changes_requested');
    expect(told.map((row) => row.userId).sort()).toEqual([author.id, colleague.id].sort());
    expect(told[0]!.params).toEqual({ title: 'Serebryansk: one desk for small business', reason: 'Add the budget.' });
    expect((await audit()).map((entry) => entry.action)).toEqual(['case.submitted', 'case.changes_requested']);
  });

  it('unpublishing tells its authors why and is audited', async () => {
    const { id, version } = await submitted();
    await reviewCase(db, notifier, editor, { id, version, decision: 'approve', reason: null, reservedSlugs: new Set(), clientAddress: ADDRESS });
    expect(await takeCaseDown(db, notifier, editor, { id, reason: 'The figures were wrong.', clientAddress: ADDRESS })).toEqual({ ok: true });
    const told = await notified(db, 'cases.unpublished');
    expect(told.map((row) => row.userId).sort()).toEqual([author.id, colleague.id].sort());
    expect(told[0]!.params).toEqual({ title: 'Serebryansk: one desk for small business', reason: 'The figures were wrong.' });
    expect((await audit()).map((entry) => entry.action)).toEqual(['case.submitted', 'case.approved', 'case.unpublished']);
  });
});
