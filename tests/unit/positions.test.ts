import { describe, expect, it } from 'vitest';
import { diffWords, hasChanges } from '~/lib/positions/diff.ts';
import { readPositionForm } from '~/server/positions/form.ts';
import { isConsultationOpen } from '~/server/positions/types.ts';

describe('the word diff between versions', () => {
  it('marks added and removed words and gives back both texts', () => {
    const parts = diffWords('A transfer by plan.', 'A five-year transfer by the town plan.');
    expect(parts.filter((part) => part.kind !== 'removed').map((part) => part.text).join('')).toBe('A five-year transfer by the town plan.');
    expect(parts.filter((part) => part.kind !== 'added').map((part) => part.text).join('')).toBe('A transfer by plan.');
    expect(parts.filter((part) => part.kind === 'added').map((part) => part.text.trim())).toEqual(['five-year', 'the town']);
  });

  it('sees no change in the same text', () => {
    expect(hasChanges(diffWords('Same words here', 'Same words here'))).toBe(false);
    expect(hasChanges(diffWords('', 'New'))).toBe(true);
  });
});

describe('the position form', () => {
  it('drops empty section slots and says which half of a section is missing', () => {
    const read = readPositionForm({ lang: 'ru', title: 'Title', summary: 'Summary', section1Heading: 'One', section1Body: 'Body', section2Heading: '', section2Body: '', section3Heading: 'Three', topics: ['utilities-housing'] });
    expect(read.text.sections).toEqual([{ heading: 'One', body: 'Body' }, { heading: 'Three', body: '' }]);
    expect(read.errors).toEqual({ section3Body: 'positions.error.sectionBody' });
  });

  it('needs a language, a title, a summary, a section and known topics', () => {
    expect(readPositionForm({ lang: 'xx', topics: 'nonsense' }).errors).toEqual({ lang: 'positions.error.language', title: 'form.required', summary: 'form.required', section1Heading: 'positions.error.noSections', topics: 'positions.error.topic' });
  });
});

describe('whether a consultation is open', () => {
  it('is open until the second it closes', () => {
    expect(isConsultationOpen({ status: 'consultation', closesAt: 100 }, 99)).toBe(true);
    expect(isConsultationOpen({ status: 'consultation', closesAt: 100 }, 100)).toBe(false);
    expect(isConsultationOpen({ status: 'adopted', closesAt: 100 }, 50)).toBe(false);
    expect(isConsultationOpen({ status: 'draft', closesAt: null }, 50)).toBe(false);
  });
});
