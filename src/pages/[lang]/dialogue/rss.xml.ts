import type { APIRoute } from 'astro';
import { isLanguage } from '~/i18n/index.ts';
import { db } from '~/server/db/index.ts';
import { dialogueFeed } from '~/server/dialogue/feed.ts';

// On demand: a topic joins the feed when it is public and approved, and leaves it when made members-only.
export const prerender = false;
export const GET: APIRoute = (context) => (isLanguage(context.params.lang) ? dialogueFeed(context, db()) : new Response(null, { status: 404 }));
