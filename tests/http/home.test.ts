import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * The home page with the demo content, in each language: the join call, the four
 * "what we do" cards linking to their sections, the next three events, the priorities,
 * the newest news, cases and resources, and the member towns. No script; no raw key.
 */
const server = useServer();
const LANGS = ['kk', 'ru', 'en'] as const;
const HEADINGS = {
  en: ['Join the association', 'What the association does', 'Coming up', 'Our priorities for 2027', 'Latest news', 'Newest cases from member towns', 'Newest guidance and resources', 'Member towns: 27'],
  ru: ['Вступить в ассоциацию', 'Ближайшие события', 'Наши приоритеты на 2027 год', 'Последние новости', 'Новые кейсы городов-членов', 'Новые руководства и материалы', 'Городов-членов: 27'],
  kk: ['Қауымдастыққа кіру', 'Жақындағы іс-шаралар', '2027 жылға арналған басымдықтарымыз', 'Соңғы жаңалықтар', 'Мүше қалалардың жаңа кейстері', 'Жаңа нұсқаулықтар мен материалдар', 'Мүше қалалар: 27'],
} as const;

/** The part of the page under a heading with this id, up to the next section. */
const section = (body: string, id: string) => {
  const start = body.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  const end = body.indexOf('</section>', start);
  return body.slice(start, end);
};

describe.each(LANGS)('/%s/', (lang) => {
  let body = '';
  it('answers 200 with every section in the reader’s language, and no script or raw key', async () => {
    const response = await request(server.url, `/${lang}/`);
    expect(response.status).toBe(200);
    body = await response.text();
    for (const heading of HEADINGS[lang]) expect(body, heading).toContain(heading);
    expect(body).not.toMatch(/<script(?![^>]*type="application\/ld\+json")/);
    expect(body).not.toMatch(/\b(home|events|rules)\.[a-z]+\.[a-z-]+/);
    expect(body).not.toMatch(/\{[a-z]+\}/);
  });

  it('leads to joining, and each "what we do" card to the section that does it', () => {
    expect(section(body, 'join-title')).toContain(`href="/${lang}/membership/"`);
    const aims = section(body, 'aims-title');
    for (const path of ['knowledge', 'exchange', 'groups', 'news']) expect(aims, path).toContain(`href="/${lang}/${path}/"`);
  });

  it('shows the next three events, soonest first, none of them past', () => {
    const upcoming = section(body, 'upcoming-title');
    const times = [...upcoming.matchAll(/<time datetime="([^"]+)"/g)].map((match) => new Date(match[1]!).getTime());
    expect(times).toHaveLength(3);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.every((time) => time > Date.now() - 86_400_000)).toBe(true);
    expect(upcoming).toContain(`href="/${lang}/events/?view=month"`);
  });

  it('shows the newest news, cases and resources written in the reader’s language', () => {
    for (const [id, path] of [['news-title', 'news'], ['cases-title', 'cases'], ['resources-title', 'resources']] as const) {
      const cards = [...section(body, id).matchAll(new RegExp(`<a href="/${lang}/${path}/([a-z0-9-]+)/"`, 'g'))];
      expect(cards.length, id).toBeGreaterThanOrEqual(1);
      expect(cards.length, id).toBeLessThanOrEqual(3);
      expect(section(body, id)).not.toContain('hreflang=');
    }
  });

  it('names the member towns and links the directory', () => {
    const towns = section(body, 'towns-title');
    expect(towns).toContain(`href="/${lang}/towns/"`);
    expect(towns.match(new RegExp(`href="/${lang}/towns/[a-z-]+/"`, 'g'))).toHaveLength(27);
  });
});

it('an unknown language has no home page', async () => {
  expect((await request(server.url, '/xx/')).status).toBe(404);
});
