import type { Kysely } from 'kysely';
import { LANGUAGES } from '~/i18n/index.ts';
import { findCase, publishedCasesAfter } from '~/server/cases/cases.ts';
import { caseText } from '~/server/cases/render.ts';
import { isPublic, type MemberCase } from '~/server/cases/types.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';
import { pagedSource } from './paging.ts';
import { documentKey, replaceThing } from './store.ts';
import { inTransaction, joinText, plainText } from './text.ts';

/** Member towns' published cases: public, under the knowledge centre's `cases` section. */
export const MEMBER_CASES_SOURCE = 'member-cases';

/**
 * A member case's documents: one per language it is written in (the same text, as its
 * page shows it), none unless the public can read it now.
 */
export function memberCaseDocuments(memberCase: MemberCase): SearchDocument[] {
  if (!isPublic(memberCase)) return [];
  const content = memberCase.published!;
  const languages = LANGUAGES.filter((language) => content.languages.includes(language));
  if (languages.length === 0) languages.push('kk');
  const facts = joinText(content.period, content.funding, content.contact.name, content.contact.role, ...content.indicators.map((indicator) => indicator.name));
  return languages.map((lang) => ({
    key: documentKey(MEMBER_CASES_SOURCE, memberCase.id, lang),
    source: MEMBER_CASES_SOURCE,
    section: 'cases',
    lang,
    path: `/cases/${memberCase.slug}/`,
    title: content.title,
    summary: plainText(content.summary, 400),
    // The town's names in every language, so "Temirtau" finds a case written in Russian.
    body: joinText(plainText(caseText(content)), facts, ...LANGUAGES.map((language) => memberCase.townName[language])),
    topics: content.topics,
    audience: 'public',
    publishedAt: memberCase.publishedAt,
  }));
}

/** Writes one case's documents as it stands now (approved, re-approved, withdrawn). */
export async function syncMemberCase(db: Kysely<Database>, caseId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const memberCase = await findCase(trx, caseId);
    await replaceThing(trx, MEMBER_CASES_SOURCE, caseId, memberCase ? memberCaseDocuments(memberCase) : []);
  });
}

/** Every published case's documents, a page at a time (the count, for progress, is of all cases). */
export const memberCasesSource = pagedSource({
  documentSource: MEMBER_CASES_SOURCE,
  table: 'member_cases',
  rowsAfter: publishedCasesAfter,
  documents: (_db, cases) => cases.flatMap(memberCaseDocuments),
});
