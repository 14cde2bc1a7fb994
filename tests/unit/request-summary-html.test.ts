import { describe, expect, it } from 'vitest';
import { createTranslator } from '~/i18n/index.ts';
import { requestSummariesHtml, requestSummaryHtml } from '~/server/exchange/summary-html.ts';
import type { RequestSummary } from '~/server/exchange/request-list.ts';

const request: RequestSummary = {
  id: 7,
  title: 'Water <script>alert(1)</script> & "pipes"',
  excerpt: 'How did you <b>fund</b> it?',
  status: 'open',
  hidden: false,
  town: { slug: 'temirtau', name: { kk: 'Теміртау', ru: 'Темиртау', en: 'Temirtau' }, region: 'karaganda' },
  topics: ['water'],
  urgency: 'high',
  deadline: null,
  publishedAt: Date.UTC(2026, 2, 5) / 1000,
  createdAt: Date.UTC(2026, 2, 5) / 1000,
  responses: 3,
};

describe('a request in a list, as HTML', () => {
  it('shows title, status, urgency, town, date, responses, excerpt and topics in the reader’s language, escaped', () => {
    const html = requestSummaryHtml(request, 'en', createTranslator('en'));
    expect(html).toContain('<a href="/en/exchange/7/">Water &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;pipes&quot;</a>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<span class="status status--open">');
    expect(html).toContain('badge--note');
    expect(html).toContain('Temirtau');
    expect(html).toContain('How did you &lt;b&gt;fund&lt;/b&gt; it?');
    expect(html).toMatch(/^<li class="request-summary">.*<\/li>$/s);
    const ru = requestSummaryHtml(request, 'ru', createTranslator('ru'));
    expect(ru).toContain('Темиртау');
    expect(ru).toContain('href="/ru/exchange/7/"');
  });

  it('leaves out excerpt and topics where asked (the dashboard), and joins a list', () => {
    const short = requestSummaryHtml(request, 'en', createTranslator('en'), false);
    expect(short).not.toContain('request-summary__excerpt');
    expect(short).not.toContain('request-summary__topics');
    const list = requestSummariesHtml([request, { ...request, id: 8, urgency: 'normal' }], 'en', createTranslator('en'));
    expect(list.match(/<li /g)).toHaveLength(2);
    expect(list).toContain('/en/exchange/8/');
  });
});
