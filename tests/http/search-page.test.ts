import { beforeAll, describe, expect, it } from 'vitest';
import { saveSearchDocuments, type SearchDocument } from '~/server/search/documents.ts';
import { signIn } from '../helpers/http.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * The search page on the built server: a GET form that works without JavaScript, filters
 * with counts, results in the reader's language with the text's own language marked,
 * snippets escaped and highlighted, members' results for members only, 400 on bad input
 * with the form kept. Its documents are written here through saveSearchDocuments, as
 * every writer does.
 */
const server = useServer();

function doc(key: string, fields: Partial<SearchDocument> & Pick<SearchDocument, 'title'>): SearchDocument {
  const [source, id, lang] = key.split(':') as [string, string, SearchDocument['lang']];
  return { key, source, section: source, lang, path: `/${source}/${id}/`, audience: 'public', publishedAt: 1_800_000_000, ...fields };
}

let memberCookie: string;

beforeAll(async () => {
  await withServerDatabase(server.databaseUrl, (db) =>
    saveSearchDocuments(db, [
      doc('resources:zz-diversify:en', { title: 'Zhyldyz diversification toolkit', summary: 'How a monotown plans economic diversification.', body: 'Quarry <script>alert(1)</script> & partners for diversification.' }),
      doc('resources:zz-diversify:ru', { title: 'Zhyldyz: диверсификация экономики', summary: 'Как моногород планирует диверсификацию.' }),
      doc('cases:zz-heat:kk', { title: 'Zhyldyz қаласының жылу желілері', summary: 'Жылумен жабдықтау жаңартылды.' }),
      doc('exchange:zz1:en', { section: 'exchange', audience: 'members', title: 'Zhyldyz members-only request about quarries' }),
      doc('threads:zz2:en', { section: 'threads', audience: 'group:999999', title: 'Zhyldyz private quarry thread' }),
    ]),
  );
  memberCookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
});

const page = async (query: string, cookie?: string) => {
  const response = await request(server.url, `/en/search/${query}`, cookie ? { cookie } : {});
  return { status: response.status, html: await response.text() };
};

describe('the search page', () => {
  it('is a plain GET form with the words, section and language, and no script of its own', async () => {
    const { status, html } = await page('');
    expect(status).toBe(200);
    expect(html).toMatch(/<form class="filters" method="get" action="\/en\/search\/" role="search"/);
    for (const name of ['q', 'section', 'lang']) expect(html).toContain(`name="${name}"`);
    expect(html).not.toMatch(/pagefind/i);
    expect(html).toContain('Type one or more words');
  });

  it('finds a word with a typo, links the result in the reader\'s language and marks the matched words', async () => {
    const { status, html } = await page('?q=diversifcation');
    expect(status).toBe(200);
    expect(html).toContain('href="/en/resources/zz-diversify/"');
    expect(html).toContain('Zhyldyz <mark>diversification</mark> toolkit');
    expect(html).toContain('Resource');
  });

  it('escapes the text of the snippet', async () => {
    const { html } = await page('?q=quarry');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; partners');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('opens an item in another language inside the reader\'s interface, its text marked with its language and named', async () => {
    const { html } = await page('?q=жылу');
    expect(html).toContain('href="/en/cases/zz-heat/"');
    expect(html).toMatch(/<h3 class="search-result__title" lang="kk"[^>]*><a href="\/en\/cases\/zz-heat\/"/);
    expect(html).toContain('Text in Kazakh');
    const kazakh = await (await request(server.url, '/kk/search/?q=жылу')).text();
    expect(kazakh).toContain('href="/kk/cases/zz-heat/"');
    expect(kazakh).not.toMatch(/<h3 class="search-result__title" lang=/);
  });

  it('narrows by section and language and shows the counts of each', async () => {
    const all = await page('?q=zhyldyz');
    expect(all.html).toContain('Results found: 3');
    expect(all.html).toMatch(/<option value="resources">Resource \(2\)<\/option>/);
    expect(all.html).toMatch(/<option value="cases">Case \(1\)<\/option>/);
    expect(all.html).toMatch(/<option value="ru">Russian \(1\)<\/option>/);
    const russian = await page('?q=zhyldyz&lang=ru');
    expect(russian.html).toContain('Results found: 1');
    expect(russian.html).toMatch(/<option value="ru" selected>Russian \(1\)<\/option>/);
    expect(russian.html).toMatch(/<option value="resources">Resource \(1\)<\/option>/);
    const cases = await page('?q=zhyldyz&section=cases');
    expect(cases.html).toContain('Results found: 1');
    expect(cases.html).toContain('href="/en/cases/zz-heat/"');
    expect(cases.html).not.toContain('href="/en/resources/zz-diversify/"');
  });

  it('shows members\' results to a signed-in member only, and never a group they are not in', async () => {
    expect((await page('?q=zhyldyz+request')).html).toContain('Results found: 0');
    const member = await page('?q=zhyldyz+request', memberCookie);
    expect(member.html).toContain('href="/en/exchange/zz1/"');
    expect(member.html).not.toContain('/threads/zz2/');
  });

  it('offers the nearest known word when nothing is found', async () => {
    const { html } = await page('?q=zhyldys+toolkkitt');
    expect(html).toContain('Did you mean');
    expect(html).toContain('href="/en/search/?q=zhyldyz+toolkit"');
  });

  it('answers bad input with 400, says what is wrong, and keeps what was typed', async () => {
    const cases: Array<[string, string]> = [
      [`?q=${'a'.repeat(201)}`, 'Type at most 200 characters.'],
      ['?q=one+two+three+four+five+six+seven+eight+nine', 'Type at most 8 words.'],
      ['?q=heat&section=nowhere', 'Choose one of the sections in the list.'],
      ['?q=heat&lang=xx', 'Choose one of the languages in the list.'],
      ['?q=heat&page=0', 'That page of results does not exist.'],
      ['?q=heat&page=abc', 'That page of results does not exist.'],
      ['?q=heat&page=51', 'That page of results does not exist.'],
    ];
    for (const [query, message] of cases) {
      const { status, html } = await page(query);
      expect(status, query).toBe(400);
      expectCleanClientError(status, html);
      expect(html, query).toContain(message);
      expect(html, query).toMatch(/<input id="filter-q" name="q" type="search" value="[^"]+"/);
    }
    expect((await page('?q=%3Cb%3Equote%22')).html).toContain('value="<b>quote&#34;"');
  });

  it('pages through many results', async () => {
    await withServerDatabase(server.databaseUrl, (db) =>
      saveSearchDocuments(db, Array.from({ length: 12 }, (_, index) => doc(`news:zz-bulletin-${index}:en`, { section: 'news', title: `Quokka bulletin ${index}`, publishedAt: 1_800_000_000 + index }))),
    );
    const first = await page('?q=quokka');
    expect(first.html).toContain('Results found: 12, page 1 of 2');
    expect(first.html).toContain('href="/en/search/?q=quokka&#38;page=2" rel="next"');
    const second = await page('?q=quokka&page=2');
    expect(second.html).toContain('href="/en/search/?q=quokka" rel="prev"');
    expect((second.html.match(/class="search-result"/g) ?? []).length).toBe(2);
  });

  it('says "500+" past the matches it counts, in the heading and the filter, and still opens the last page', async () => {
    await withServerDatabase(server.databaseUrl, (db) =>
      saveSearchDocuments(db, Array.from({ length: 501 }, (_, index) => doc(`news:zz-wombat-${index}:ru`, { section: 'news', title: `Вомбат ${index}`, publishedAt: 1_800_000_000 + index }))),
    );
    const russian = await request(server.url, '/ru/search/?q=%D0%B2%D0%BE%D0%BC%D0%B1%D0%B0%D1%82', {});
    const html = await russian.text();
    expect(russian.status).toBe(200);
    expect(html).toContain('Найдено результатов: 500+, страница 1 из 50');
    expect(html).toContain('Новость: 500+');
    const last = await page('?q=%D0%B2%D0%BE%D0%BC%D0%B1%D0%B0%D1%82&page=50');
    expect(last.status).toBe(200);
    expect((last.html.match(/class="search-result"/g) ?? []).length).toBe(10);
  });
});
