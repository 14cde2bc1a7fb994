import type { APIRoute } from 'astro';
import { languageStaticPaths } from '~/lib/knowledge/paths.ts';
import { collectionFeed } from '~/server/knowledge/feed.ts';

export const prerender = true;
export const getStaticPaths = languageStaticPaths;
export const GET: APIRoute = (context) => collectionFeed('news', context);
