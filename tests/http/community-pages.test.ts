import { describe, expect, it } from 'vitest';
import { decodeHtml, textOf } from '../helpers/content.ts';
import { useServer } from '../helpers/server.ts';
import { request } from './support.ts';

/** The committees page and the membership page, over HTTP against the built server, in three languages. */
const server = useServer();

const get = async (path: string) => {
  const response = await request(server.url, path);
  return { status: response.status, body: await response.text() };
};

/** One committee's card on the committees page. */
function card(body: string, slug: string): string {
  const start = body.indexOf(`id="committee-${slug}"`);
  expect(start, slug).toBeGreaterThan(-1);
  const end = body.indexOf('</article>', start);
  return textOf(body.slice(start, end));
}

describe('/<lang>/committees/', () => {
  it('groups the public groups by kind, each with mandate, chair, member towns, rhythm and next meeting', async () => {
    const { status, body } = await get('/en/committees/');
    expect(status).toBe(200);
    const text = textOf(body);
    expect(text.indexOf('Standing committees')).toBeLessThan(text.indexOf('Forums'));
    expect(text.indexOf('Forums')).toBeLessThan(text.indexOf('Communities of practice'));
    const utilities = card(body, 'utilities-renewal');
    expect(utilities).toContain('Mandate');
    expect(utilities).toMatch(/Renewing heating, water and housing networks/);
    expect(utilities).toContain('Chair Gulnara Akhmetova (Temirtau)');
    expect(utilities).toContain('Member towns Ekibastuz, Ridder, Rudny, Temirtau');
    expect(utilities).toContain('Meets Every month');
    // The demo meeting's time is public; what it is about is for the group's members.
    expect(utilities).toMatch(/Next meeting \d{1,2} \w+ \d{4} at \d{2}:\d{2}/);
    expect(utilities).not.toContain('Итоги отопительного сезона');
    expect(card(body, 'economic-diversification')).toContain('Chair Askar Zhumabayev (Aksu)');
    expect(card(body, 'economic-diversification')).toContain('No meeting announced yet');
    expect(body).toContain('href="/en/groups/youth-skills/"');
    expect(body).toContain('href="/en/groups/environment-health/"');
  });

  it('is reached from the working groups page and from the footer of every page, in the reader’s language', async () => {
    for (const lang of ['kk', 'ru', 'en']) {
      expect((await get(`/${lang}/groups/`)).body).toContain(`href="/${lang}/committees/"`);
      const footer = (await get(`/${lang}/news/`)).body.split('<footer')[1] ?? '';
      expect(footer).toContain(`href="/${lang}/committees/"`);
      expect(footer).toContain(`href="/${lang}/rules/"`);
    }
  });

  it('shows one kind on its own pages, and says so when the kind or the page is not one', async () => {
    const forums = await get('/en/committees/?kind=forum');
    expect(forums.status).toBe(200);
    const text = textOf(forums.body);
    expect(text).toContain('Forums');
    expect(text).not.toContain('Standing committees');
    expect(forums.body).toContain('href="/en/committees/"');
    const unknown = await get('/en/committees/?kind=councils');
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.body)).toContain('There is no such kind of group');
    // Every kind is still shown under the message.
    expect(textOf(unknown.body)).toContain('Standing committees');
    expect((await get('/en/committees/?kind=forum&page=0')).status).toBe(400);
    const past = await get('/ru/committees/?kind=forum&page=9');
    expect(past.status).toBe(404);
    expect(textOf(past.body)).not.toMatch(/committees\.|groups\.|\{[a-z]+\}/);
  });

  it('never shows a private group', async () => {
    for (const lang of ['kk', 'ru', 'en']) {
      const { body } = await get(`/${lang}/committees/`);
      expect(body).not.toContain('municipal-finance');
    }
  });

  it.each([
    ['kk', 'Комитеттер мен форумдар', 'Тұрақты комитеттер', 'Төрағасы'],
    ['ru', 'Комитеты и форумы', 'Постоянные комитеты', 'Председатель'],
  ])('speaks %s, with no key or placeholder showing', async (lang, title, section, chair) => {
    const { status, body } = await get(`/${lang}/committees/`);
    expect(status).toBe(200);
    const text = textOf(body);
    for (const words of [title, section, chair]) expect(text).toContain(words);
    expect(text).not.toMatch(/committees\.|groups\.|\{[a-z]+\}/);
  });
});

describe('/<lang>/membership/', () => {
  it.each([
    ['en', ['Who can join', 'What members get', 'What it costs', 'How to apply'], 'Apply for membership', '1,500,000 tenge'],
    ['ru', ['Кто может вступить', 'Что получают члены ассоциации', 'Сколько стоит членство', 'Как подать заявку'], 'Подать заявку на членство', '1 500 000 тенге'],
    ['kk', ['Кім мүше бола алады', 'Мүшелер не алады', 'Мүшелік қанша тұрады', 'Өтінімді қалай беру керек'], 'Мүшелікке өтінім беру', '1 500 000 теңге'],
  ])('%s: leads with who may join, what it gives and what it costs, and has a button to the application form', async (lang, headings, button, fee) => {
    const { status, body } = await get(`/${lang}/membership/`);
    expect(status).toBe(200);
    const text = decodeHtml(textOf(body));
    const places = headings.map((heading) => text.indexOf(heading));
    expect(places.every((place) => place > -1), headings.join(' / ')).toBe(true);
    expect([...places].sort((a, b) => a - b)).toEqual(places);
    expect(text).toContain(fee);
    const buttons = [...body.matchAll(/<a class="button membership-cta__button[^"]*" href="([^"]+)"[^>]*>([^<]+)<\/a>/g)];
    expect(buttons.length).toBe(2);
    for (const [, href, label] of buttons) {
      expect(href).toBe(`/${lang}/membership/apply/`);
      expect(label!.trim()).toBe(button);
    }
    // The first button comes before the first section: the page leads with it.
    expect(body.indexOf('membership-cta__button')).toBeLessThan(body.indexOf(`>${headings[0]!}</h2>`));
    expect((await request(server.url, `/${lang}/membership/apply/`)).status).toBe(200);
  });
});
