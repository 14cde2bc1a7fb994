import { describe, expect, it } from 'vitest';
import { composeDigest, ITEMS_PER_KIND, type DigestItem } from '~/server/notifications/digest-mail.ts';

const member = { email: 'aigerim@example.org', language: 'en' as const, displayName: 'Aigerim' };
const request = (n: number): DigestItem => ({
  kind: 'exchange.new_request',
  params: JSON.stringify({ title: `Request ${n}`, town: 'Temirtau' }),
  link: `/ru/exchange/${n}/`,
  created_at: 1_796_000_000 + n * 60,
});

describe('the digest mail', () => {
  it('lists at most a screenful per kind and says how many more there are', () => {
    const mail = composeDigest(member, 'weekly', Array.from({ length: ITEMS_PER_KIND + 3 }, (_, n) => request(n + 1)), 'https://qala.test')!;
    expect(mail.subject).toBe(`Your weekly digest from the Association of Towns of Kazakhstan (${ITEMS_PER_KIND + 3})`);
    expect(mail.text).toContain(`New requests on topics I watch (${ITEMS_PER_KIND + 3})`);
    expect(mail.text).toContain(`Request ${ITEMS_PER_KIND}`);
    expect(mail.text).not.toContain(`Request ${ITEMS_PER_KIND + 1} `);
    expect(mail.text).toContain('…and 3 more in your notifications on the portal.');
    // Links stored in another language are given in the reader's.
    expect(mail.text).toContain('https://qala.test/en/exchange/1/');
    expect(mail.text).not.toContain('/ru/');
  });

  it('is not written when no item is of a kind this Qala knows', () => {
    expect(composeDigest(member, 'daily', [{ ...request(1), kind: 'retired.kind' }], 'https://qala.test')).toBeNull();
    expect(composeDigest(member, 'daily', [], 'https://qala.test')).toBeNull();
  });
});
