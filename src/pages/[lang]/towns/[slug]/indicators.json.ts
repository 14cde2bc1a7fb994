import type { APIRoute } from 'astro';
import { db } from '~/server/db/index.ts';
import { townDownload } from '~/server/indicators/downloads.ts';

export const prerender = false;

/** A town's published indicator values as JSON (README "Open data" lists the columns). */
export const GET: APIRoute = ({ params }) => townDownload(db(), params.lang, params.slug, 'json');
