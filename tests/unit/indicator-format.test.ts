import { describe, expect, it } from 'vitest';
import { formatIndicatorValue, formatTick } from '~/lib/indicators/format.ts';

// The formats are kept per language and options (src/lib/format.ts): a kept one must
// never answer for other options or another language.
describe('indicator value formats', () => {
  it('keep decimals, sign and language apart', () => {
    expect(formatIndicatorValue(1.5, { decimals: 1 }, 'en', { signed: true })).toBe('+1.5');
    expect(formatIndicatorValue(1.5, { decimals: 1 }, 'en')).toBe('1.5');
    expect(formatIndicatorValue(1.5, { decimals: 2 }, 'en')).toBe('1.50');
    expect(formatIndicatorValue(1.5, { decimals: 1 }, 'ru')).toBe('1,5');
    expect(formatIndicatorValue(0, { decimals: 1 }, 'en', { signed: true })).toBe('0.0');
  });

  it('give ticks only the decimals they need', () => {
    expect(formatTick(2, { decimals: 1 }, 'en')).toBe('2');
    expect(formatTick(2.25, { decimals: 1 }, 'en')).toBe('2.3');
    expect(formatTick(1234, { decimals: 0 }, 'en')).toBe('1,234');
  });
});
