import type { Language, Translate } from '~/i18n/index.ts';
import { formatDate } from '~/lib/format.ts';
import { escapeHtml } from '~/lib/html.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';
import type { RequestSummary } from '~/server/exchange/request-list.ts';

/**
 * One request of a list as an `<li>`: title, status, town, date, the number of responses
 * and, in lists, the excerpt and topics. A plain string instead of an Astro component per
 * request: twenty component instances were a tenth of the exchange page's CPU. Nothing
 * here depends on who reads it (the same for every member), only on the request and the
 * language; every text goes through escapeHtml.
 */
export function requestSummaryHtml(request: RequestSummary, lang: Language, t: Translate, excerpt = true): string {
  const date = request.publishedAt ?? null;
  const posted = date !== null ? t('exchange.list.posted', { date: formatDate(new Date(date * 1000), lang) }) : t('exchange.list.notPublished');
  const urgent = request.urgency === 'high' ? `<span class="badge badge--note">${escapeHtml(t('exchange.urgency.high'))}</span>` : '';
  const more = excerpt
    ? `<p class="request-summary__excerpt">${escapeHtml(request.excerpt)}</p>` +
      `<p class="request-summary__topics">${escapeHtml(request.topics.map((topic) => termLabel(TAXONOMIES.topics, topic, lang)).join(' · '))}</p>`
    : '';
  return (
    `<li class="request-summary"><h3 class="request-summary__title"><a href="/${lang}/exchange/${request.id}/">${escapeHtml(request.title)}</a></h3>` +
    `<p class="request-summary__meta"><span class="status status--${escapeHtml(request.status)}">${escapeHtml(t(`exchange.status.${request.status}`))}</span>` +
    `${urgent} ${escapeHtml(request.town.name[lang])} · ${escapeHtml(posted)} · ${escapeHtml(t('exchange.list.responses', { count: request.responses }))}</p>` +
    `${more}</li>`
  );
}

/** A list's requests as one HTML string of `<li>` elements. */
export function requestSummariesHtml(requests: readonly RequestSummary[], lang: Language, t: Translate, excerpt = true): string {
  return requests.map((request) => requestSummaryHtml(request, lang, t, excerpt)).join('');
}
