import { ActionError } from 'astro:actions';
import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import { now } from '~/lib/clock.ts';
import { db } from '~/server/db/index.ts';
import { answerMeeting, findMeeting, MEETING_ANSWERS, zonedToUtcSeconds } from '~/server/groups/meetings.ts';
import { isHttpUrl } from '~/server/groups/resources.ts';
import { canAnswerMeeting, canLead } from '~/server/groups/rules.ts';
import { scheduleMeeting } from '~/server/groups/workflows.ts';
import { choice, cleanText, id, oneLine, required } from '~/actions/fields.ts';
import { notifier } from '~/actions/request.ts';
import { fail, loadGroup, markdown, refuseArchived, throttle } from './shared.ts';

/** A group's meetings: leads announce them, members answer whether they come. */
export const groupMeetingActions = {
  announceMeeting: defineAction({
    accept: 'form',
    input: z
      .object({
        group: id(),
        title: oneLine(200),
        date: required.regex(/^\d{4}-\d{2}-\d{2}$/, 'groups.form.dateFormat'),
        time: required.regex(/^\d{2}:\d{2}$/, 'groups.form.timeFormat'),
        duration: z.coerce.number({ invalid_type_error: 'groups.form.duration' }).int('groups.form.duration').min(15, 'groups.form.duration').max(600, 'groups.form.duration'),
        place: cleanText().max(300, 'form.tooLong').refine((value) => !/[\r\n]/.test(value), 'form.noLineBreaks').optional(),
        link: cleanText().trim().max(500, 'form.tooLong').refine((value) => value === '' || isHttpUrl(value), 'groups.form.httpOnly').optional(),
        agenda: markdown,
        isPublic: z.boolean().default(false),
      })
      .refine((input) => zonedToUtcSeconds(input.date, input.time) !== undefined, { message: 'groups.form.dateFormat', path: ['date'] })
      .refine((input) => (input.place?.trim() ?? '') !== '' || (input.link?.trim() ?? '') !== '', { message: 'groups.form.placeOrLink', path: ['place'] }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const startsAt = zonedToUtcSeconds(input.date, input.time)!;
      if (startsAt < now()) throw new ActionError({ code: 'BAD_REQUEST', message: 'groups.form.inPast' });
      await throttle(access.user, 'lead');
      const meetingId = await scheduleMeeting(db(), notifier(), {
        group: access.group,
        title: input.title,
        startsAt,
        durationMinutes: input.duration,
        place: input.place ?? null,
        link: input.link ?? null,
        agenda: input.agenda,
        createdBy: access.user.id,
        isPublic: input.isPublic,
      });
      return { meetingId };
    },
  }),

  answerMeeting: defineAction({
    accept: 'form',
    input: z.object({ group: id(), meeting: id(), answer: choice(MEETING_ANSWERS, 'groups.form.choose') }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canAnswerMeeting(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.membersOnly');
      const meeting = await findMeeting(db(), access.group.id, input.meeting);
      if (!meeting) fail('NOT_FOUND', 'groups.problem.meetingNotFound');
      await answerMeeting(db(), meeting.id, access.user.id, input.answer);
      return { answer: input.answer };
    },
  }),
};
