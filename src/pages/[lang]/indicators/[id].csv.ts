import type { APIRoute } from 'astro';
import { db } from '~/server/db/index.ts';
import { indicatorDownload } from '~/server/indicators/downloads.ts';

export const prerender = false;

/** One indicator's published values for every town as CSV (README "Open data" lists the columns). */
export const GET: APIRoute = ({ params }) => indicatorDownload(db(), params.lang, params.id, 'csv');
