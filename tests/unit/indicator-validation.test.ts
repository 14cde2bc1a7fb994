import { describe, expect, it } from 'vitest';
import { findIndicator } from '~/lib/indicators/catalogue.ts';
import { indicatorProblem, parseDecimal, periodProblem, valueProblem } from '~/lib/indicators/validation.ts';

const indicator = (id: string) => findIndicator(id)!;
const NOW = new Date('2026-11-29T12:00:00Z');

describe('reading a typed figure', () => {
  it.each([
    ['4.8', 4.8],
    ['4,8', 4.8],
    ['51 378,0', 51378],
    ['51\u00a0378.5', 51378.5],
    ['-3.5', -3.5],
    ['−3,5', -3.5],
    ['  183 ', 183],
    ['0', 0],
  ])('reads %j as %d', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  it.each(['', 'abc', '12abc', '1e5', '12%', '1,234.5', '4.', '.5', 'NaN', 'Infinity', '0x10', '--1', '4.8.1'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeNull();
  });
});

describe('checking a figure against its indicator', () => {
  it('refuses an unemployment rate of 140 % and a negative one', () => {
    expect(valueProblem(indicator('unemployment-rate'), 140)).toBe('indicators.error.range');
    expect(valueProblem(indicator('unemployment-rate'), -1)).toBe('indicators.error.range');
    expect(valueProblem(indicator('unemployment-rate'), 4.8)).toBeNull();
    expect(valueProblem(indicator('unemployment-rate'), 100)).toBeNull();
  });

  it('allows a negative net migration, inside its range', () => {
    expect(valueProblem(indicator('net-migration'), -8.4)).toBeNull();
    expect(valueProblem(indicator('net-migration'), -900)).toBe('indicators.error.range');
  });

  it('wants whole numbers where the indicator counts things', () => {
    expect(valueProblem(indicator('small-enterprises'), 183.5)).toBe('indicators.error.wholeNumber');
    expect(valueProblem(indicator('population'), 49000)).toBeNull();
  });

  it('refuses more than three decimal places', () => {
    expect(valueProblem(indicator('average-wage'), 448.8123)).toBe('indicators.error.decimals');
    expect(valueProblem(indicator('average-wage'), 448.812)).toBeNull();
  });
});

describe('checking the year', () => {
  it('accepts past years and the current one', () => {
    expect(periodProblem('2014', NOW)).toBeNull();
    expect(periodProblem('2026', NOW)).toBeNull();
  });

  it('refuses a future year', () => {
    expect(periodProblem('2027', NOW)).toBe('indicators.error.future');
  });

  it.each(['1989', '24', '20245', 'abcd', '2024.5', ''])('refuses %j', (text) => {
    expect(periodProblem(text, NOW)).toBe('indicators.error.period');
  });
});

it('refuses an indicator the catalogue does not have', () => {
  expect(indicatorProblem('happiness-index')).toBe('indicators.error.unknownIndicator');
  expect(indicatorProblem('average-wage')).toBeNull();
});
