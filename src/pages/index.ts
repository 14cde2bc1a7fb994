import type { APIRoute } from 'astro';
import { preferredLanguage } from '~/i18n/index.ts';

export const prerender = false;

/** `/` sends the reader to their language, from Accept-Language (Kazakh when none matches). */
export const GET: APIRoute = ({ request }) =>
  new Response(null, {
    status: 302,
    headers: {
      Location: `/${preferredLanguage(request.headers.get('accept-language'))}/`,
      Vary: 'Accept-Language',
      'Cache-Control': 'no-store',
    },
  });
