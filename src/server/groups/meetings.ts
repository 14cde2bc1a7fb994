import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { ASSOCIATION_TIME_ZONE } from '~/lib/time-zone.ts';
import type { Database } from '~/server/db/schema.ts';
import { syncMeeting } from '~/server/search/sources/groups.ts';
import { inTransaction } from '~/server/search/sources/text.ts';

/** The time zone meetings are announced in: the association's (TIME_ZONE, Asia/Almaty by default), as pages show them. */
export const MEETING_TIME_ZONE = ASSOCIATION_TIME_ZONE;

/** A member's answer to "will you attend?". */
export type MeetingAnswer = 'yes' | 'no' | 'maybe';
export const MEETING_ANSWERS: readonly MeetingAnswer[] = ['yes', 'maybe', 'no'];

/** Minutes east of UTC of a time zone at an instant (from Intl, so tzdata decides). */
function offsetMinutes(timeZone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

/**
 * A wall-clock date (YYYY-MM-DD) and time (HH:MM) in a time zone, as UTC seconds; or
 * undefined when they are not a real date and time.
 */
export function zonedToUtcSeconds(date: string, time: string, timeZone = MEETING_TIME_ZONE): number | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return undefined;
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  // Two passes settle the offset for the instant itself (it may differ around a change).
  let utc = wall - offsetMinutes(timeZone, new Date(wall)) * 60_000;
  utc = wall - offsetMinutes(timeZone, new Date(utc)) * 60_000;
  return Math.floor(utc / 1000);
}

/** A meeting as pages show it. */
export interface Meeting {
  id: number;
  groupId: number;
  title: string;
  startsAt: number;
  durationMinutes: number;
  place: string | null;
  link: string | null;
  agenda: string;
  createdAt: number;
  /** The lead opened it to the public: the events calendar shows it while the group is public. */
  isPublic: boolean;
}

const MEETING_COLUMNS = ['id', 'group_id', 'title', 'starts_at', 'duration_minutes', 'place', 'link', 'agenda', 'created_at', 'is_public'] as const;

function toMeeting(row: { id: number; group_id: number; title: string; starts_at: number; duration_minutes: number; place: string | null; link: string | null; agenda: string; created_at: number; is_public: number }): Meeting {
  return { id: row.id, groupId: row.group_id, title: row.title, startsAt: row.starts_at, durationMinutes: row.duration_minutes, place: row.place, link: row.link, agenda: row.agenda, createdAt: row.created_at, isPublic: Number(row.is_public) === 1 };
}

/** Announces a meeting. */
export async function announceMeeting(
  db: Kysely<Database>,
  input: { groupId: number; title: string; startsAt: number; durationMinutes: number; place: string | null; link: string | null; agenda: string; createdBy: string; isPublic?: boolean },
  now = clock.now(),
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('group_meetings')
      .values({
        group_id: input.groupId,
        title: input.title.trim(),
        starts_at: input.startsAt,
        duration_minutes: input.durationMinutes,
        place: input.place?.trim() || null,
        link: input.link?.trim() || null,
        agenda: input.agenda.replace(/\r\n?/g, '\n'),
        created_by: input.createdBy,
        created_at: now,
        is_public: input.isPublic ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await syncMeeting(trx, row.id);
    return row.id;
  });
}

/** A meeting of this group (and only this group). */
export async function findMeeting(db: Kysely<Database>, groupId: number, meetingId: number): Promise<Meeting | undefined> {
  const row = await db.selectFrom('group_meetings').select(MEETING_COLUMNS).where('id', '=', meetingId).where('group_id', '=', groupId).executeTakeFirst();
  return row ? toMeeting(row) : undefined;
}

/** The next meeting that has not ended yet, if any. */
export async function nextMeeting(db: Kysely<Database>, groupId: number, now = clock.now()): Promise<Meeting | undefined> {
  const [next] = await upcomingMeetings(db, groupId, now, 1);
  return next;
}

/** Meetings that have not ended yet, soonest first (the next one is the first). */
export async function upcomingMeetings(db: Kysely<Database>, groupId: number, now = clock.now(), limit = 5): Promise<Meeting[]> {
  const rows = await db
    .selectFrom('group_meetings')
    .select(MEETING_COLUMNS)
    .where('group_id', '=', groupId)
    .where((eb) => eb(eb('starts_at', '+', eb('duration_minutes', '*', 60)), '>', now))
    .orderBy('starts_at')
    .limit(limit)
    .execute();
  return rows.map(toMeeting);
}

/** Records (or changes) a member's answer. */
export async function answerMeeting(db: Kysely<Database>, meetingId: number, userId: string, answer: MeetingAnswer, now = clock.now()): Promise<void> {
  await db
    .insertInto('group_meeting_answers')
    .values({ meeting_id: meetingId, user_id: userId, answer, answered_at: now })
    .onConflict((conflict) => conflict.columns(['meeting_id', 'user_id']).doUpdateSet({ answer, answered_at: now }))
    .execute();
}

/** How many said yes, maybe and no, and what this member said. */
export async function meetingAnswers(db: Kysely<Database>, meetingId: number, userId: string | undefined) {
  const rows = await db
    .selectFrom('group_meeting_answers')
    .innerJoin('users', 'users.id', 'group_meeting_answers.user_id')
    .select(['group_meeting_answers.answer', 'group_meeting_answers.user_id', 'users.display_name'])
    .where('meeting_id', '=', meetingId)
    .where('users.disabled_at', 'is', null)
    .orderBy('users.display_name')
    .execute();
  const counts: Record<MeetingAnswer, number> = { yes: 0, no: 0, maybe: 0 };
  for (const row of rows) counts[row.answer] += 1;
  return {
    counts,
    mine: rows.find((row) => row.user_id === userId)?.answer ?? null,
    attending: rows.filter((row) => row.answer === 'yes').map((row) => row.display_name),
  };
}

/** A public meeting with the group it belongs to, for the public events calendar. */
export interface PublicMeeting extends Meeting {
  group: { slug: string; name: Record<'kk' | 'ru' | 'en', string>; topics: string[] };
}

/**
 * Meetings a lead marked public, of groups the public sees (not private, not archived),
 * that overlap [from, to) in UTC seconds, soonest first. Nothing else of the group leaks:
 * the agenda is the lead's announcement, written for this meeting.
 */
export async function publicMeetings(db: Kysely<Database>, range: { from: number; to: number }, limit = 200): Promise<PublicMeeting[]> {
  const rows = await db
    .selectFrom('group_meetings')
    .innerJoin('groups', 'groups.id', 'group_meetings.group_id')
    .select(MEETING_COLUMNS.map((column) => `group_meetings.${column}` as const))
    .select(['groups.slug', 'groups.name_kk', 'groups.name_ru', 'groups.name_en', 'groups.topics'])
    .where('group_meetings.is_public', '=', 1)
    .where('groups.visibility', '!=', 'private')
    .where('groups.archived_at', 'is', null)
    .where('group_meetings.starts_at', '<', range.to)
    .where((eb) => eb(eb('group_meetings.starts_at', '+', eb('group_meetings.duration_minutes', '*', 60)), '>', range.from))
    .orderBy('group_meetings.starts_at')
    .orderBy('group_meetings.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...toMeeting(row),
    group: { slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en }, topics: JSON.parse(row.topics) as string[] },
  }));
}
