import { sql, type Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { consumeRateLimit, type RateLimitRule } from '~/server/rate-limit.ts';

/** Answers one client address may give in an hour: enough for a reader, too few to flood. */
export const FEEDBACK_PER_ADDRESS: RateLimitRule = { limit: 10, windowSeconds: 60 * 60 };

/** Public pages feedback may be about: an item of the knowledge centre or a content page. */
export const FEEDBACK_PAGE = /^\/(kk|ru|en)\/(?:(?:resources|cases|funding|news|events)\/[a-z0-9-]+|about|membership|privacy|accessibility|contact)\/?$/;

/** One answer as a reader gives it. */
export interface FeedbackAnswer {
  page: string;
  language: Language;
  helpful: boolean;
  comment: string | null;
}

/** Stores an answer unless the address has answered too often; says which happened. */
export async function recordFeedback(
  db: Kysely<Database>,
  answer: FeedbackAnswer,
  clientAddress: string,
  now = clock.now(),
): Promise<'recorded' | 'throttled'> {
  const limit = await consumeRateLimit(db, `feedback:address:${clientAddress}`, FEEDBACK_PER_ADDRESS, now);
  if (!limit.allowed) return 'throttled';
  await db
    .insertInto('page_feedback')
    .values({
      page: answer.page.endsWith('/') ? answer.page : `${answer.page}/`,
      language: answer.language,
      helpful: answer.helpful ? 1 : 0,
      comment: answer.comment?.trim() || null,
      created_at: now,
    })
    .execute();
  return 'recorded';
}

/** Yes and no counts per page, most answered first. */
export function feedbackTotals(db: Kysely<Database>) {
  return db
    .selectFrom('page_feedback')
    .select(['page', sql<number>`sum(helpful)`.as('yes'), sql<number>`count(*) - sum(helpful)`.as('no'), sql<number>`max(created_at)`.as('latest')])
    .groupBy('page')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('page')
    .execute();
}

/** The newest answers that carry a comment. */
export function latestComments(db: Kysely<Database>, limit = 50) {
  return db
    .selectFrom('page_feedback')
    .select(['page', 'language', 'helpful', 'comment', 'created_at'])
    .where('comment', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
