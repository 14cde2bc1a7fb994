import { describe, expect, it } from 'vitest';
import { isCurrentSection, PUBLIC_SECTIONS } from '~/navigation.ts';

/** The header's sections: which one is current on a page, and that they stay few enough for one row. */
describe('main navigation', () => {
  const current = (pathname: string) => PUBLIC_SECTIONS.filter((section) => isCurrentSection(pathname, 'kk', section)).map((section) => section.path);

  it('marks the knowledge centre current on its own page and on resources, cases and funding', () => {
    expect(current('/kk/knowledge/')).toEqual(['knowledge/']);
    expect(current('/kk/resources/heat-meters/')).toEqual(['knowledge/']);
    expect(current('/kk/cases/')).toEqual(['knowledge/']);
    expect(current('/kk/funding')).toEqual(['knowledge/']);
  });

  it('marks one section or none, and never by another language or a mere prefix of a word', () => {
    expect(current('/kk/news/budget-day/')).toEqual(['news/']);
    expect(current('/ru/resources/')).toEqual([]);
    expect(current('/kk/resources-old/')).toEqual([]);
    expect(current('/kk/account/')).toEqual([]);
  });

  it('keeps the header to eight sections (one row at 1280 px in kk, ru and en)', () => {
    expect(PUBLIC_SECTIONS.length).toBeLessThanOrEqual(8);
  });
});
