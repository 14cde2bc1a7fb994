import type { APIRoute } from 'astro';
import { DEFAULT_LANGUAGE, isLanguage } from '../i18n/index.ts';

export const prerender = false;

/** `/` sends the reader to their language, from Accept-Language (Kazakh when none matches). */
export const GET: APIRoute = ({ preferredLocale }) => {
  const language = isLanguage(preferredLocale) ? preferredLocale : DEFAULT_LANGUAGE;
  return new Response(null, {
    status: 302,
    headers: { Location: `/${language}/`, Vary: 'Accept-Language', 'Cache-Control': 'no-store' },
  });
};
