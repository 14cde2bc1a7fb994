import type { APIRoute } from 'astro';
import { isLanguage } from '~/i18n/index.ts';
import { db } from '~/server/db/index.ts';
import { adoptedPositionsFeed } from '~/server/positions/feed.ts';

// On demand: a position joins the feed when it is adopted.
export const prerender = false;
export const GET: APIRoute = (context) => (isLanguage(context.params.lang) ? adoptedPositionsFeed(context, db()) : new Response(null, { status: 404 }));
