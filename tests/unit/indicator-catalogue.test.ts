import { describe, expect, it } from 'vitest';
import { findIndicator, INDICATORS } from '~/lib/indicators/catalogue.ts';

const LANGUAGES = ['kk', 'ru', 'en'] as const;

describe('the indicator catalogue', () => {
  it('holds the indicators the source document asks about, and only a small set', () => {
    expect(INDICATORS.map((indicator) => indicator.id)).toEqual([
      'industrial-output',
      'small-enterprises',
      'unemployment-rate',
      'average-wage',
      'net-migration',
      'population',
      'housing-poor-condition',
      'air-quality',
      'business-environment',
      'resident-satisfaction',
    ]);
    expect(INDICATORS.length).toBeLessThanOrEqual(15);
  });

  it.each(INDICATORS.map((indicator) => [indicator.id, indicator] as const))('%s is complete in Kazakh, Russian and English', (_id, indicator) => {
    for (const lang of LANGUAGES) {
      expect(indicator[lang].trim(), `name in ${lang}`).not.toBe('');
      expect(indicator.unit[lang].trim(), `unit in ${lang}`).not.toBe('');
      expect(indicator.definition[lang].length, `definition in ${lang}`).toBeGreaterThan(20);
      expect(indicator.source[lang].length, `source guidance in ${lang}`).toBeGreaterThan(10);
    }
    // Really translated: the Kazakh and Russian names and definitions are not the English ones.
    expect(indicator.kk).not.toBe(indicator.en);
    expect(indicator.ru).not.toBe(indicator.en);
    expect(indicator.definition.kk).not.toBe(indicator.definition.en);
    expect(indicator.definition.ru).not.toBe(indicator.definition.en);
  });

  it.each(INDICATORS.map((indicator) => [indicator.id, indicator] as const))('%s has a direction, a valid range and a yearly period', (_id, indicator) => {
    expect(['higher', 'lower']).toContain(indicator.direction);
    expect(indicator.min).toBeLessThan(indicator.max);
    expect(indicator.period).toBe('year');
  });

  it('knows which way is better', () => {
    expect(findIndicator('unemployment-rate')?.direction).toBe('lower');
    expect(findIndicator('air-quality')?.direction).toBe('lower');
    expect(findIndicator('housing-poor-condition')?.direction).toBe('lower');
    expect(findIndicator('average-wage')?.direction).toBe('higher');
    expect(findIndicator('resident-satisfaction')?.direction).toBe('higher');
    expect(findIndicator('unknown')).toBeUndefined();
  });

  it('allows percentages from 0 to 100 only', () => {
    for (const id of ['unemployment-rate', 'housing-poor-condition', 'resident-satisfaction']) {
      expect(findIndicator(id)).toMatchObject({ min: 0, max: 100 });
    }
  });
});
