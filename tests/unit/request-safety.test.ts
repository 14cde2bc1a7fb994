import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '~/lib/return-path.ts';
import { clientAddress } from '~/node/client-address.ts';

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('the client address', () => {
  it('is the socket peer by default, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(request('203.0.113.5', '1.2.3.4'), 0)).toBe('203.0.113.5');
  });

  it('with one trusted proxy is the address that proxy saw', () => {
    // The client forged "1.2.3.4"; the proxy appended the real 198.51.100.9.
    expect(clientAddress(request('10.0.0.2', '1.2.3.4, 198.51.100.9'), 1)).toBe('198.51.100.9');
  });

  it('with two trusted proxies skips both', () => {
    expect(clientAddress(request('10.0.0.2', 'forged, 198.51.100.9, 10.0.0.1'), 2)).toBe('198.51.100.9');
  });

  it('falls back to the peer when the header is missing', () => {
    expect(clientAddress(request('10.0.0.2'), 1)).toBe('10.0.0.2');
  });
});

describe('the return path after sign-in', () => {
  it.each([
    ['/en/account/', '/en/account/'],
    ['/ru/about/?x=1', '/ru/about/?x=1'],
    ['https://evil.example/', '/fallback/'],
    ['//evil.example/', '/fallback/'],
    ['/\\evil.example', '/fallback/'],
    ['javascript:alert(1)', '/fallback/'],
    ['', '/fallback/'],
    [null, '/fallback/'],
    // What the review found: the parser drops the tab, leaving //evil.example/.
    ['/\t/evil.example/', '/fallback/'],
    ['/\n/evil.example/', '/fallback/'],
    ['/\r/evil.example/', '/fallback/'],
    ['/\u0000/x', '/fallback/'],
    ['/\u007f/x', '/fallback/'],
    ['/\u0085/x', '/fallback/'],
    ['/..//evil.example/', '/fallback/'],
    ['/a/../..//evil.example/', '/fallback/'],
    ['/%2F/evil.example/', '/fallback/'],
    ['/%2f%2fevil.example/', '/fallback/'],
    ['/%5Cevil.example/', '/fallback/'],
    ['/%0A/x', '/fallback/'],
    ['/%E0%A4%A', '/fallback/'],
    ['/%', '/fallback/'],
    ['https:/evil.example/', '/fallback/'],
    ['/' + 'a'.repeat(3000), '/fallback/'],
    // Printable non-ASCII stays on the site, percent-encoded so it is a valid header value.
    ['/\u3000/x', '/%E3%80%80/x'],
    ['/ru/поиск/', '/ru/%D0%BF%D0%BE%D0%B8%D1%81%D0%BA/'],
    ['/en/a/../account/', '/en/account/'],
    ['/en/account/#top', '/en/account/#top'],
  ])('%j → %s', (candidate, expected) => {
    expect(safeReturnPath(candidate, '/fallback/')).toBe(expected);
  });
});
