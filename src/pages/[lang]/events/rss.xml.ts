import type { APIRoute } from 'astro';
import { isLanguage } from '~/i18n/index.ts';
import { db } from '~/server/db/index.ts';
import { collectionFeed } from '~/server/knowledge/feed.ts';

// On demand: items published in the editorial workspace join the feed at once, and leave it when withdrawn.
export const prerender = false;
export const GET: APIRoute = (context) => (isLanguage(context.params.lang) ? collectionFeed('events', context, db()) : new Response(null, { status: 404 }));
