import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { FEEDBACK_PAGE, FEEDBACK_PER_ADDRESS, feedbackTotals, latestComments, recordFeedback, type FeedbackAnswer } from '~/server/feedback/feedback.ts';
import { canReadFeedback } from '~/server/feedback/rules.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { CONTENT_PAGES, knowledgeItems, LANGS, itemPath } from '../helpers/content.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, cleanup } = await createTestDatabase()));
afterEach(() => cleanup());

const NOW = 1_800_000_000;

function answer(overrides: Partial<FeedbackAnswer> = {}): FeedbackAnswer {
  return { page: '/en/cases/ridder-heat-network/', language: 'en', helpful: true, comment: null, ...overrides };
}

const stored = () => db.selectFrom('page_feedback').selectAll().orderBy('id').execute();

describe('recording an answer', () => {
  it('stores the page, language, answer, comment and time', async () => {
    expect(await recordFeedback(db, answer({ helpful: false, comment: 'Add the tariff figures.' }), '10.0.0.1', NOW)).toBe('recorded');
    expect(await stored()).toEqual([
      { id: 1, page: '/en/cases/ridder-heat-network/', language: 'en', helpful: 0, comment: 'Add the tariff figures.', created_at: NOW },
    ]);
  });

  it('adds the trailing slash a page path was sent without, so one page is counted once', async () => {
    await recordFeedback(db, answer({ page: '/ru/cases/ridder-heat-network', language: 'ru' }), '10.0.0.1', NOW);
    await recordFeedback(db, answer({ page: '/ru/cases/ridder-heat-network/', language: 'ru' }), '10.0.0.1', NOW);
    expect((await stored()).map((row) => row.page)).toEqual(['/ru/cases/ridder-heat-network/', '/ru/cases/ridder-heat-network/']);
    expect(await feedbackTotals(db)).toHaveLength(1);
  });

  it('stores an empty or blank comment as no comment, and trims the others', async () => {
    await recordFeedback(db, answer({ comment: '' }), '10.0.0.1', NOW);
    await recordFeedback(db, answer({ comment: '   \n ' }), '10.0.0.1', NOW);
    await recordFeedback(db, answer({ comment: '  Clear.  ' }), '10.0.0.1', NOW);
    expect((await stored()).map((row) => row.comment)).toEqual([null, null, 'Clear.']);
  });

  it(`is throttled after ${FEEDBACK_PER_ADDRESS.limit} answers from one address within the window, but not for another address`, async () => {
    for (let i = 0; i < FEEDBACK_PER_ADDRESS.limit; i++) {
      expect(await recordFeedback(db, answer(), '10.0.0.1', NOW + i)).toBe('recorded');
    }
    expect(await recordFeedback(db, answer({ comment: 'one too many' }), '10.0.0.1', NOW + 60)).toBe('throttled');
    expect(await recordFeedback(db, answer(), '10.0.0.2', NOW + 60)).toBe('recorded');
    const rows = await stored();
    expect(rows).toHaveLength(FEEDBACK_PER_ADDRESS.limit + 1);
    expect(rows.map((row) => row.comment)).not.toContain('one too many');
    // A new window lets the first address answer again.
    expect(await recordFeedback(db, answer(), '10.0.0.1', NOW + FEEDBACK_PER_ADDRESS.windowSeconds)).toBe('recorded');
  });

  it('allows a reader about ten answers an hour', () => {
    expect(FEEDBACK_PER_ADDRESS).toEqual({ limit: 10, windowSeconds: 3600 });
  });
});

describe('what editors read', () => {
  it('totals count yes and no per page, most answered first', async () => {
    const ridder = '/en/cases/ridder-heat-network/';
    const about = '/kk/about/';
    await recordFeedback(db, answer({ page: ridder, helpful: true }), 'a', NOW);
    await recordFeedback(db, answer({ page: ridder, helpful: true }), 'b', NOW + 1);
    await recordFeedback(db, answer({ page: ridder, helpful: false }), 'c', NOW + 2);
    await recordFeedback(db, answer({ page: about, language: 'kk', helpful: false }), 'd', NOW + 5);
    const totals = await feedbackTotals(db);
    expect(totals.map((row) => ({ page: row.page, yes: Number(row.yes), no: Number(row.no), latest: Number(row.latest) }))).toEqual([
      { page: ridder, yes: 2, no: 1, latest: NOW + 2 },
      { page: about, yes: 0, no: 1, latest: NOW + 5 },
    ]);
  });

  it('totals are empty when nobody has answered', async () => {
    expect(await feedbackTotals(db)).toEqual([]);
  });

  it('latest comments are only the answers with a comment, newest first', async () => {
    await recordFeedback(db, answer({ comment: 'first' }), 'a', NOW);
    await recordFeedback(db, answer({ comment: null }), 'a', NOW + 10);
    await recordFeedback(db, answer({ page: '/ru/about/', language: 'ru', helpful: false, comment: 'второй' }), 'a', NOW + 20);
    await recordFeedback(db, answer({ comment: '  ' }), 'a', NOW + 30);
    await recordFeedback(db, answer({ comment: 'third, same second as the next' }), 'a', NOW + 40);
    await recordFeedback(db, answer({ comment: 'fourth' }), 'a', NOW + 40);
    const comments = await latestComments(db);
    expect(comments.map((row) => row.comment)).toEqual(['fourth', 'third, same second as the next', 'второй', 'first']);
    expect(comments[2]).toMatchObject({ page: '/ru/about/', language: 'ru', helpful: 0, created_at: NOW + 20 });
  });

  it('latest comments stop at the limit', async () => {
    for (let i = 0; i < 5; i++) await recordFeedback(db, answer({ comment: `c${i}` }), `addr-${i}`, NOW + i);
    expect((await latestComments(db, 3)).map((row) => row.comment)).toEqual(['c4', 'c3', 'c2']);
  });
});

describe('which pages take answers (FEEDBACK_PAGE)', () => {
  const itemPages = knowledgeItems().flatMap((item) => LANGS.map((lang) => itemPath(item.collection, item.slug, lang)));
  const contentPages = LANGS.flatMap((lang) => CONTENT_PAGES.map((slug) => `/${lang}/${slug}/`));

  it('accepts every item page and every association page, in every language', () => {
    const refused = [...itemPages, ...contentPages].filter((page) => !FEEDBACK_PAGE.test(page));
    expect(refused).toEqual([]);
    expect(itemPages.length).toBeGreaterThanOrEqual(120);
  });

  it('accepts them without the trailing slash too', () => {
    expect(FEEDBACK_PAGE.test('/kk/funding/business-roadmap')).toBe(true);
    expect(FEEDBACK_PAGE.test('/ru/about')).toBe(true);
  });

  it.each([
    '/en/account/',
    '/en/sign-in/',
    '/en/editor/feedback/',
    '/en/feedback/',
    '/en/cases/',
    '/en/',
    '/de/about/',
    '/en/cases/Ridder/',
    'https://evil.example/',
    '//evil.example/en/about/',
    '/en/cases/../../x',
    '/en/cases/ridder-heat-network/../../../account/',
    '/en/about/?next=https://evil.example/',
    'javascript:alert(1)',
    '',
  ])('refuses %j', (page) => {
    expect(FEEDBACK_PAGE.test(page)).toBe(false);
  });
});

describe('who may read feedback', () => {
  const user = (role: Role): CurrentUser => ({
    id: `user-${role}`,
    email: `${role}@example.org`,
    displayName: role,
    role,
    language: 'en',
    disabled: false,
    town: null,
  });

  it.each([
    ['admin', true],
    ['editor', true],
    ['town_admin', false],
    ['member', false],
  ] as const)('%s: %s', (role, allowed) => {
    expect(canReadFeedback(user(role))).toBe(allowed);
  });

  it('nobody signed out', () => {
    expect(canReadFeedback(null)).toBe(false);
  });
});
