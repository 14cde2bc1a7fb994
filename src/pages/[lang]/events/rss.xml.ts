import type { APIRoute } from 'astro';
import { collectionFeed } from '../../../lib/knowledge/feed.ts';
import { languageStaticPaths } from '../../../lib/knowledge/paths.ts';

export const prerender = true;
export const getStaticPaths = languageStaticPaths;
export const GET: APIRoute = (context) => collectionFeed('events', context);
