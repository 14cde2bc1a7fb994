import type { APIRoute } from 'astro';
import { createTranslator, DEFAULT_LANGUAGE, isLanguage } from '~/i18n/index.ts';
import { listSearch } from '~/lib/knowledge/list-query.ts';
import { SECTION_LIST } from '~/lib/knowledge/sections.ts';

export const prerender = false;

/**
 * The search page's form for readers without JavaScript: one form, a list to search
 * and the words, sent on to that list's own text filter.
 */
export const GET: APIRoute = ({ params, url }) => {
  const section = SECTION_LIST.find((candidate) => candidate.path === url.searchParams.get('section'));
  if (!isLanguage(params.lang) || !section) {
    const t = createTranslator(isLanguage(params.lang) ? params.lang : DEFAULT_LANGUAGE);
    return new Response(t('search.chooseList'), { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const q = url.searchParams.get('q')?.trim().slice(0, 100) || undefined;
  return new Response(null, { status: 303, headers: { Location: `/${params.lang}/${section.path}/${listSearch({ q })}` } });
};
