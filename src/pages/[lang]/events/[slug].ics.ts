import type { APIRoute } from 'astro';
import { now } from '~/lib/clock.ts';
import { calendarFile, calendarHeaders } from '~/lib/ics.ts';
import { config, publicOrigin } from '~/server/config.ts';
import { eventCalendarEvent } from '~/server/events/calendar.ts';
import { db } from '~/server/db/index.ts';
import { findItem } from '~/server/knowledge/items.ts';

export const prerender = false;

/** One association event as an .ics file ("Add to calendar"), in the reader's language where it is written in it. */
export const GET: APIRoute = async ({ params, locals }) => {
  const { lang, t } = locals;
  const slug = params.slug ?? '';
  const item = /^[a-z0-9-]{1,100}$/.test(slug) ? await findItem('events', slug, db()) : undefined;
  if (!item) return new Response(t('notFound.title'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const body = calendarFile(eventCalendarEvent(item, { lang, origin: publicOrigin(config()), stamp: now() }));
  return new Response(body, { status: 200, headers: calendarHeaders(`${item.slug}.ics`) });
};
