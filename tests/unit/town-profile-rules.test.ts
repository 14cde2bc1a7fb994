import { describe, expect, it } from 'vitest';
import { isPhoneNumber, parsePopulation, parsePopulationYear, parseWebsite } from '~/lib/towns/profile-rules.ts';

/** The checks a town profile's figures and contacts pass before they are stored. */
describe('town profile rules', () => {
  it.each([
    ['49000', 49_000], ['49 000', 49_000], ['49\u00a0000', 49_000], ['1', 1],
    ['49,000', null], ['49.000', null], ['0', null], ['-5', null], ['', null], ['about 50 000', null], ['40000000', null], ['049000', null],
  ])('population %j → %j', (text, expected) => {
    expect(parsePopulation(text)).toBe(expected);
  });

  it('takes years from 1900 to this one', () => {
    const now = new Date('2026-12-07T00:00:00Z');
    expect(parsePopulationYear('2026', now)).toBe(2026);
    expect(parsePopulationYear('1900', now)).toBe(1900);
    for (const text of ['2027', '1899', '24', '2024a', '']) expect(parsePopulationYear(text, now)).toBeNull();
  });

  it.each([
    ['+7 7213 44 00 00', true], ['8 (72336) 4-10-00', true], ['+77001234567', true], ['12345', true],
    ['1234', false], ['+7 700 000 00 00 00 00 0', false], ['call the akimat', false], ['+7 700 000 00 00 ext. 5', false], ['--12345', false], ['', false],
  ])('phone %j → %j', (text, expected) => {
    expect(isPhoneNumber(text)).toBe(expected);
  });

  it.each([
    ['https://akimat.example.kz', 'https://akimat.example.kz/'],
    ['http://temirtau.gov.kz/ru/', 'http://temirtau.gov.kz/ru/'],
    ['temirtau.gov.kz', null], ['javascript:alert(1)', null], ['ftp://example.kz/', null], ['https://localhost/', null], ['https://user:pw@example.kz/', null], ['https://', null],
  ])('website %j → %j', (text, expected) => {
    expect(parseWebsite(text)).toBe(expected);
  });
});
