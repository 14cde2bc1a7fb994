import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { findGroupById, type Group, type GroupInput } from '~/server/groups/groups.ts';
import { publicMeetings } from '~/server/groups/meetings.ts';
import { archiveGroup, openGroup, scheduleMeeting, type GroupActor } from '~/server/groups/workflows.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { testNotifier } from '../helpers/notified.ts';

/**
 * Which group meetings the public events calendar may show: those a lead opened, of
 * groups the public sees (not private, not archived), overlapping the range asked for.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
let editor: GroupActor;

const DAY = 86_400;
const NOW = 1_796_600_000; // December 2026
const input = (slug: string, visibility: GroupInput['visibility']): GroupInput => ({
  slug,
  name: { kk: 'Жылу', ru: 'Тепло', en: 'Heating' },
  purpose: { kk: 'Мақсаты', ru: 'Цель', en: 'Purpose' },
  topics: ['utilities-housing', 'municipal-finance'],
  type: 'committee',
  visibility,
  rhythm: 'monthly',
  descriptionPublic: true,
});

async function group(slug: string, visibility: GroupInput['visibility']): Promise<Group> {
  const opened = await openGroup(db, input(slug, visibility), editor);
  if (!opened.ok) throw new Error('group not opened');
  return (await findGroupById(db, opened.id))!;
}

const meet = (of: Group, title: string, startsAt: number, isPublic: boolean) =>
  scheduleMeeting(db, notifier, { group: of, title, startsAt, durationMinutes: 90, place: 'Akimat', link: isPublic ? 'https://meet.example.org/x' : null, agenda: 'Agenda', createdBy: editor.id, isPublic });

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  const id = await insertUser(db, { email: 'editor@example.org', passwordHash: 'x', displayName: 'Editor', role: 'editor', townId: null, language: 'en' }, 1);
  editor = { id, displayName: 'Editor', clientAddress: '203.0.113.9' };
});
afterEach(async () => cleanup());

describe('public meetings', () => {
  it('lists only the opened meetings of open and approval groups, soonest first, with the group', async () => {
    const open = await group('heating', 'open');
    const approval = await group('finance', 'approval');
    const hidden = await group('secret', 'private');
    await meet(open, 'Open later', NOW + 5 * DAY, true);
    await meet(approval, 'Approval sooner', NOW + 2 * DAY, true);
    await meet(open, 'Members only', NOW + 3 * DAY, false);
    await meet(hidden, 'Private, asked public', NOW + 4 * DAY, true);
    const listed = await publicMeetings(db, { from: NOW, to: NOW + 30 * DAY });
    expect(listed.map((meeting) => meeting.title)).toEqual(['Approval sooner', 'Open later']);
    expect(listed[0]!.group).toEqual({ slug: 'finance', name: { kk: 'Жылу', ru: 'Тепло', en: 'Heating' }, topics: ['utilities-housing', 'municipal-finance'] });
    expect(listed[0]!.isPublic).toBe(true);
    // The private group's meeting was stored members-only, whatever the form said.
    const stored = await db.selectFrom('group_meetings').select(['title', 'is_public']).where('title', '=', 'Private, asked public').executeTakeFirstOrThrow();
    expect(Number(stored.is_public)).toBe(0);
  });

  it('keeps to the range (a meeting still running counts) and drops archived groups', async () => {
    const open = await group('heating', 'open');
    await meet(open, 'Before', NOW - 10 * DAY, true);
    await meet(open, 'Running', NOW - 3600, true);
    await meet(open, 'After', NOW + 40 * DAY, true);
    expect((await publicMeetings(db, { from: NOW, to: NOW + 30 * DAY })).map((meeting) => meeting.title)).toEqual(['Running']);
    await archiveGroup(db, open.id, true, editor);
    expect(await publicMeetings(db, { from: NOW - 30 * DAY, to: NOW + 60 * DAY })).toEqual([]);
  });
});
