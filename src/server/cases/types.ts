import type { Language } from '~/i18n/index.ts';
import type { MemberCaseStatus } from '~/server/db/schema.ts';

/** The six sections of a case, in the association's template (and in this order). */
export const CASE_SECTIONS = ['context', 'challenge', 'approach', 'obstacles', 'results', 'nextSteps'] as const;
/** One section of a case's body. */
export type CaseSection = (typeof CASE_SECTIONS)[number];

/** Currencies a case's cost may be given in (as in file cases). */
export const CASE_CURRENCIES = ['KZT', 'USD', 'EUR'] as const;

/** One indicator a case moved. */
export interface CaseIndicator {
  name: string;
  before: number;
  after: number;
  unit: string;
  year: number;
}

/**
 * What a town writes: the same facts and six sections as a file case
 * (src/schemas/items.ts). A draft may leave any of it empty; submitting needs it all.
 */
export interface CaseContent {
  /** The languages the text is written in; the first is the text's main language. */
  languages: Language[];
  title: string;
  summary: string;
  sections: Record<CaseSection, string>;
  topics: string[];
  period: string;
  funding: string;
  cost: { amount: number; currency: (typeof CASE_CURRENCIES)[number] } | null;
  contact: { name: string; role: string; email: string | null };
  indicators: CaseIndicator[];
}

export type { MemberCaseStatus };

/** A case's working copy and where it stands, as pages and rules see it. */
export interface MemberCase {
  id: number;
  townId: number;
  townSlug: string;
  townRegion: string;
  townName: Record<Language, string>;
  status: MemberCaseStatus;
  version: number;
  content: CaseContent;
  published: CaseContent | null;
  slug: string | null;
  publishedAt: number | null;
  publishedVersion: number | null;
  unpublishedAt: number | null;
  unpublishReason: string | null;
  createdBy: string | null;
  updatedBy: string | null;
  sourceRequestId: number | null;
  illustrative: boolean;
  createdAt: number;
  updatedAt: number;
}

/** Whether the public can read a case now. */
export function isPublic(memberCase: Pick<MemberCase, 'published' | 'unpublishedAt' | 'slug'>): boolean {
  return memberCase.published !== null && memberCase.unpublishedAt === null && memberCase.slug !== null;
}

/** An empty working copy in one language. */
export function emptyContent(language: Language): CaseContent {
  return {
    languages: [language],
    title: '',
    summary: '',
    sections: { context: '', challenge: '', approach: '', obstacles: '', results: '', nextSteps: '' },
    topics: [],
    period: '',
    funding: '',
    cost: null,
    contact: { name: '', role: '', email: null },
    indicators: [],
  };
}
