import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/server.ts';
import { htmlLang, request } from './support.ts';

const server = useServer();

describe('/ sends readers to their language', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['no Accept-Language goes to Kazakh', undefined, '/kk/'],
    ['a Russian browser goes to Russian', 'ru-RU,ru;q=0.9', '/ru/'],
    ['an English browser goes to English', 'en-GB,en', '/en/'],
    ['a browser that names only a regional Russian goes to Russian', 'ru-RU', '/ru/'],
    ['a browser that names only a regional English goes to English', 'en-GB', '/en/'],
    ['a language the site does not have falls back to Kazakh', 'fr', '/kk/'],
  ];

  it.each(cases)('%s', async (_name, acceptLanguage, location) => {
    const response = await request(server.url, '/', {
      headers: acceptLanguage ? { 'Accept-Language': acceptLanguage } : {},
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(location);
  });

  it('the redirect tells caches it depends on Accept-Language', async () => {
    const response = await request(server.url, '/', { headers: { 'Accept-Language': 'ru' } });
    const vary = (response.headers.get('vary') ?? '').split(',').map((part) => part.trim().toLowerCase());
    expect(vary).toContain('accept-language');
  });
});

describe('each page declares the language it is written in', () => {
  const cases: Array<[string, string]> = [
    ['/kk/', 'kk'],
    ['/ru/', 'ru'],
    ['/en/', 'en'],
    ['/ru/about/', 'ru'],
    ['/ru/sign-in/', 'ru'],
  ];

  it.each(cases)('%s has <html lang="%s">', async (path, lang) => {
    const response = await request(server.url, path);
    expect(response.status).toBe(200);
    expect(htmlLang(await response.text())).toBe(lang);
  });
});
