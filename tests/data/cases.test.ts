import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { caseAuthorIds, caseFacts, caseHistory, findCase, publishedCases, queue, queueCounts, QUEUE_STATUSES } from '~/server/cases/cases.ts';
import { caseToForm, readCaseForm } from '~/server/cases/content.ts';
import { caseDraftPath, createCaseDraft, proposeChanges, saveCase, startDraft, withdrawSubmission } from '~/server/cases/drafts.ts';
import type { CaseOutcome } from '~/server/cases/events.ts';
import { renderCaseBody } from '~/server/cases/render.ts';
import { commentOnCase, decideCase, unpublishCase } from '~/server/cases/review.ts';
import { canViewCase } from '~/server/cases/rules.ts';
import { isPublic } from '~/server/cases/types.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { completeCase } from '../helpers/fixtures.ts';

/**
 * Member cases on a real SQLite file: the state machine, step by step, with each role
 * trying each step (only the right one changes anything), the contract the expertise
 * exchange calls, lost-update protection, and hostile markdown.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let townA: number;
let townB: number;
const users = {} as Record<'author' | 'colleague' | 'other' | 'editor' | 'anonymous', CurrentUser | null>;

async function town(slug: string, region: string): Promise<number> {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: slug, name_ru: slug, name_en: slug, region, population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function user(email: string, role: Role, townId: number | null, slug: string | null): Promise<CurrentUser> {
  const id = await insertUser(db, { email, passwordHash: 'not-a-real-hash', displayName: email.split('@')[0]!, role, townId, language: 'en' }, 1);
  return { id, email, displayName: email, role, language: 'en', disabled: false, town: townId === null ? null : { id: townId, slug: slug!, name: { kk: slug!, ru: slug!, en: slug! } } };
}

const complete = completeCase;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  townA = await town('serebryansk', 'east-kazakhstan');
  townB = await town('shakhtinsk', 'karaganda');
  users.author = await user('author@example.org', 'member', townA, 'serebryansk');
  users.colleague = await user('colleague@example.org', 'town_admin', townA, 'serebryansk');
  users.other = await user('other@example.org', 'member', townB, 'shakhtinsk');
  users.editor = await user('editor@example.org', 'editor', null, null);
  users.anonymous = null;
});

afterEach(async () => {
  await cleanup();
});

type Actor = 'author' | 'colleague' | 'other' | 'editor' | 'anonymous';
const ACTORS: Actor[] = ['author', 'colleague', 'other', 'editor', 'anonymous'];

interface Step {
  name: string;
  /** Who may take the step; everyone else is refused and nothing changes. */
  allowed: Actor[];
  /** Who takes it in this run. */
  by: Actor;
  run: (actor: CurrentUser | null, id: number, version: number) => Promise<CaseOutcome>;
  /** Where the case stands afterwards. */
  then: { status: string; public: boolean; publishedTitle?: string | null };
}

const REVISED = 'Serebryansk: one desk for small business, three years on';

const STEPS: Step[] = [
  { name: 'save the draft', allowed: ['author', 'colleague'], by: 'colleague', run: (a, id, v) => saveCase(db, a, { id, version: v, content: complete(), submit: false }), then: { status: 'draft', public: false } },
  { name: 'submit', allowed: ['author', 'colleague'], by: 'author', run: (a, id, v) => saveCase(db, a, { id, version: v, content: complete(), submit: true }), then: { status: 'submitted', public: false } },
  { name: 'request changes', allowed: ['editor'], by: 'editor', run: (a, id, v) => decideCase(db, a, { id, version: v, decision: 'requestChanges', body: 'Add figures.' }), then: { status: 'changes_requested', public: false } },
  { name: 'resubmit', allowed: ['author', 'colleague'], by: 'author', run: (a, id, v) => saveCase(db, a, { id, version: v, content: complete(), submit: true }), then: { status: 'submitted', public: false } },
  { name: 'approve', allowed: ['editor'], by: 'editor', run: (a, id, v) => decideCase(db, a, { id, version: v, decision: 'approve' }), then: { status: 'approved', public: true, publishedTitle: 'Serebryansk: one desk for small business' } },
  { name: 'propose changes after publication', allowed: ['author', 'colleague'], by: 'colleague', run: (a, id, v) => proposeChanges(db, a, { id, version: v }), then: { status: 'draft', public: true, publishedTitle: 'Serebryansk: one desk for small business' } },
  { name: 'submit the proposed change', allowed: ['author', 'colleague'], by: 'author', run: (a, id, v) => saveCase(db, a, { id, version: v, content: complete(REVISED), submit: true }), then: { status: 'submitted', public: true, publishedTitle: 'Serebryansk: one desk for small business' } },
  { name: 'approve the change', allowed: ['editor'], by: 'editor', run: (a, id, v) => decideCase(db, a, { id, version: v, decision: 'approve' }), then: { status: 'approved', public: true, publishedTitle: REVISED } },
  { name: 'unpublish', allowed: ['editor'], by: 'editor', run: (a, id) => unpublishCase(db, a, { id, reason: 'The figures could not be checked.' }), then: { status: 'approved', public: false, publishedTitle: REVISED } },
];

describe('the state machine, each step tried by each role', () => {
  it('draft → submitted → changes requested → resubmitted → approved (published) → change proposed → approved → unpublished', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'Draft', sections: { context: 'Start' }, topics: ['sme-support'] });
    for (const step of STEPS) {
      for (const actor of ACTORS) {
        if (step.allowed.includes(actor)) continue;
        const before = await db.selectFrom('member_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        const outcome = await step.run(users[actor]!, id, before.version);
        expect(outcome.ok, `${actor} may not ${step.name}`).toBe(false);
        expect(['forbidden', 'wrongState']).toContain((outcome as { problem: string }).problem);
        expect(await db.selectFrom('member_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), `${actor} changed nothing`).toEqual(before);
      }
      const current = (await findCase(db, id))!;
      const outcome = await step.run(users[step.by]!, id, current.version);
      expect(outcome, `${step.by} may ${step.name}`).toMatchObject({ ok: true });
      const after = (await findCase(db, id))!;
      expect(after.status, step.name).toBe(step.then.status);
      expect(isPublic(after), step.name).toBe(step.then.public);
      if (step.then.publishedTitle !== undefined) expect(after.published?.title).toBe(step.then.publishedTitle);
    }
    const kinds = (await caseHistory(db, id)).map((event) => event.kind);
    expect(kinds).toEqual(['created', 'submitted', 'changes_requested', 'resubmitted', 'approved', 'revision_started', 'resubmitted', 'approved', 'unpublished']);
    expect(await publishedCases(db)).toEqual([]);
  });

  it('a rejected submission is never public; rejecting a proposed change keeps the published version', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    let memberCase = (await findCase(db, id))!;
    expect(await saveCase(db, users.author!, { id, version: memberCase.version, content: complete(), submit: true })).toMatchObject({ ok: true });
    memberCase = (await findCase(db, id))!;
    expect(await decideCase(db, users.editor!, { id, version: memberCase.version, decision: 'reject', body: 'Not a practice.' })).toMatchObject({ ok: true });
    memberCase = (await findCase(db, id))!;
    expect(memberCase.status).toBe('rejected');
    expect(isPublic(memberCase)).toBe(false);
    expect(await publishedCases(db)).toEqual([]);
    // Rejected and never published: nothing more the town can do with it.
    expect(await proposeChanges(db, users.author!, { id, version: memberCase.version })).toMatchObject({ ok: false, problem: 'wrongState' });

    const second = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'y', sections: {}, topics: [] });
    const step = async (run: (version: number) => Promise<CaseOutcome>) => expect(await run((await findCase(db, second))!.version)).toMatchObject({ ok: true });
    await step((v) => saveCase(db, users.author!, { id: second, version: v, content: complete('Published title'), submit: true }));
    await step((v) => decideCase(db, users.editor!, { id: second, version: v, decision: 'approve' }));
    await step((v) => proposeChanges(db, users.author!, { id: second, version: v }));
    await step((v) => saveCase(db, users.author!, { id: second, version: v, content: complete('A worse title'), submit: true }));
    await step((v) => decideCase(db, users.editor!, { id: second, version: v, decision: 'reject', body: 'Keep the old one.' }));
    const after = (await findCase(db, second))!;
    expect(after.status).toBe('rejected');
    expect(isPublic(after)).toBe(true);
    expect(after.published?.title).toBe('Published title');
    expect((await publishedCases(db)).map((memberCase) => memberCase.id)).toEqual([second]);
  });

  it('approving an already-approved version changes nothing and says so', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    await saveCase(db, users.author!, { id, version: 1, content: complete(), submit: true });
    expect(await decideCase(db, users.editor!, { id, version: 2, decision: 'approve' })).toMatchObject({ ok: true });
    const before = await db.selectFrom('member_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(await decideCase(db, users.editor!, { id, version: 2, decision: 'approve' })).toEqual({ ok: false, problem: 'wrongState' });
    expect(await decideCase(db, users.editor!, { id, version: 3, decision: 'approve' })).toEqual({ ok: false, problem: 'wrongState' });
    expect(await db.selectFrom('member_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
  });

  it('an editor decides only on the version they read', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    await saveCase(db, users.author!, { id, version: 1, content: complete(), submit: true });
    expect(await decideCase(db, users.editor!, { id, version: 1, decision: 'approve' })).toEqual({ ok: false, problem: 'stale' });
    expect((await findCase(db, id))!.status).toBe('submitted');
  });

  it('submitting needs every section; a draft may be partial', async () => {
    const started = await startDraft(db, users.author, readCaseForm({ title: 'Half written', context: 'Only the context' }, false).content);
    expect(started.ok).toBe(true);
    const id = (started as { id: number }).id;
    const partial = readCaseForm({ title: 'Half written', context: 'Only the context', results: 'Some results' }, false);
    expect(partial.errors).toEqual({});
    expect(await saveCase(db, users.author!, { id, version: 1, content: partial.content, submit: false })).toMatchObject({ ok: true, version: 2 });
    const refused = await saveCase(db, users.author!, { id, version: 2, content: partial.content, submit: true });
    expect(refused).toMatchObject({ ok: false, problem: 'incomplete' });
    expect((refused as { missing: string[] }).missing).toEqual(expect.arrayContaining(['challenge', 'approach', 'obstacles', 'nextSteps', 'topics', 'period']));
    const stored = (await findCase(db, id))!;
    expect(stored.status).toBe('draft');
    expect(stored.content.sections.results).toBe('Some results');
  });

  it('the town takes a submission back to edit it', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    await saveCase(db, users.author!, { id, version: 1, content: complete(), submit: true });
    expect(await withdrawSubmission(db, users.other!, { id, version: 2 })).toEqual({ ok: false, problem: 'forbidden' });
    expect(await withdrawSubmission(db, users.colleague!, { id, version: 2 })).toEqual({ ok: true });
    expect((await findCase(db, id))!.status).toBe('draft');
  });

  it('comments: on a draft the town alone, once submitted the town and editors, nobody else', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    for (const actor of ACTORS) {
      const outcome = await commentOnCase(db, users[actor]!, { id, body: `draft, from ${actor}` });
      expect(outcome.ok, actor).toBe(['author', 'colleague'].includes(actor));
    }
    // For an editor the draft is a case that does not exist.
    expect(await commentOnCase(db, users.editor!, { id, body: 'x' })).toEqual({ ok: false, problem: 'notFound' });
    await saveCase(db, users.author!, { id, version: 1, content: complete(), submit: true });
    for (const actor of ACTORS) {
      const outcome = await commentOnCase(db, users[actor]!, { id, body: `from ${actor}` });
      expect(outcome.ok, actor).toBe(['author', 'colleague', 'editor'].includes(actor));
    }
    expect((await caseHistory(db, id)).filter((event) => event.kind === 'comment').map((event) => event.body)).toEqual(['draft, from author', 'draft, from colleague', 'from author', 'from colleague', 'from editor']);
  });

  it('a draft is in no tab of the editors\' queue and no count, whether new, taken back or a revision; sent back, it is', async () => {
    const fresh = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'fresh', sections: {}, topics: [] });
    const takenBack = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'taken back', sections: {}, topics: [] });
    await saveCase(db, users.author!, { id: takenBack, version: 1, content: complete('taken back'), submit: true });
    await withdrawSubmission(db, users.author!, { id: takenBack, version: 2 });
    const revised = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'revised', sections: {}, topics: [] });
    await saveCase(db, users.author!, { id: revised, version: 1, content: complete('revised'), submit: true });
    await decideCase(db, users.editor!, { id: revised, version: 2, decision: 'approve' });
    await proposeChanges(db, users.author!, { id: revised, version: 3 });
    const sentBack = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'sent back', sections: {}, topics: [] });
    await saveCase(db, users.author!, { id: sentBack, version: 1, content: complete('sent back'), submit: true });
    await decideCase(db, users.editor!, { id: sentBack, version: 2, decision: 'requestChanges', body: 'More figures.' });

    const listed = (await Promise.all(QUEUE_STATUSES.map((status) => queue(db, status)))).flat().map((memberCase) => memberCase.id);
    expect(listed).toEqual([sentBack]);
    expect(await queueCounts(db)).toEqual({ submitted: 0, changes_requested: 1, approved: 0, rejected: 0 });
    for (const id of [fresh, takenBack, revised]) {
      const facts = caseFacts((await findCase(db, id))!);
      expect(canViewCase(users.editor, facts), String(id)).toBe(false);
      expect(await decideCase(db, users.editor!, { id, version: (await findCase(db, id))!.version, decision: 'approve' })).toEqual(id === revised ? { ok: false, problem: 'wrongState' } : { ok: false, problem: 'notFound' });
    }
    expect(canViewCase(users.editor, caseFacts((await findCase(db, sentBack))!))).toBe(true);
    // The public copy of the case under revision stays public, and editors may still withdraw it.
    expect((await publishedCases(db)).map((memberCase) => memberCase.id)).toEqual([revised]);
    expect(await unpublishCase(db, users.editor!, { id: revised, reason: 'Wrong figures.' })).toMatchObject({ ok: true });
  });
});

describe('colleagues editing one draft', () => {
  it('the second save from the same version is refused as stale, and the first one stands', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    const mine = readCaseForm({ title: 'Mine', context: 'My words' }, false).content;
    const theirs = readCaseForm({ title: 'Theirs', context: 'Their words' }, false).content;
    expect(await saveCase(db, users.colleague!, { id, version: 1, content: theirs, submit: false })).toMatchObject({ ok: true, version: 2 });
    expect(await saveCase(db, users.author!, { id, version: 1, content: mine, submit: false })).toEqual({ ok: false, problem: 'stale' });
    expect((await findCase(db, id))!.content.title).toBe('Theirs');
    // Knowing it, the author saves over it from the current version.
    expect(await saveCase(db, users.author!, { id, version: 2, content: mine, submit: false })).toMatchObject({ ok: true, version: 3 });
    expect((await findCase(db, id))!.content.sections.context).toBe('My words');
  });

  it('both colleagues hear of decisions, the other town nobody', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    await saveCase(db, users.colleague!, { id, version: 1, content: complete(), submit: true });
    expect(new Set(await caseAuthorIds(db, id))).toEqual(new Set([users.author!.id, users.colleague!.id]));
  });
});

describe('createCaseDraft and caseDraftPath (the expertise exchange calls these)', () => {
  it('starts a pre-filled draft for the town, keeping the request id, and names its edit page', async () => {
    const id = await createCaseDraft(db, {
      townId: townA,
      authorId: users.author!.id,
      language: 'ru',
      title: '  Окно для предпринимателей  ',
      sections: { context: 'Город при ГЭС.', results: 'Больше предприятий.' },
      topics: ['sme-support', 'no-such-topic'],
      sourceRequestId: 42,
    }, 1_700_000_000);
    const stored = (await findCase(db, id))!;
    expect(stored).toMatchObject({ townId: townA, status: 'draft', version: 1, createdBy: users.author!.id, sourceRequestId: 42, createdAt: 1_700_000_000 });
    expect(stored.content).toMatchObject({ languages: ['ru'], title: 'Окно для предпринимателей', topics: ['sme-support'] });
    expect(stored.content.sections).toMatchObject({ context: 'Город при ГЭС.', results: 'Больше предприятий.', challenge: '' });
    expect((await caseHistory(db, id)).map((event) => event.kind)).toEqual(['created']);
    expect(caseDraftPath('ru', id)).toBe(`/ru/account/cases/${id}/`);
    // The author can open and edit it right away.
    expect(await saveCase(db, users.author!, { id, version: 1, content: stored.content, submit: false })).toMatchObject({ ok: true });
  });

  it('works without a request and refuses an author from another town', async () => {
    const id = await createCaseDraft(db, { townId: townA, authorId: users.colleague!.id, language: 'kk', title: 't', sections: {}, topics: [] });
    expect((await findCase(db, id))!.sourceRequestId).toBeNull();
    await expect(createCaseDraft(db, { townId: townA, authorId: users.other!.id, language: 'kk', title: 't', sections: {}, topics: [] })).rejects.toThrow();
    await expect(createCaseDraft(db, { townId: townA, authorId: users.editor!.id, language: 'kk', title: 't', sections: {}, topics: [] })).rejects.toThrow();
  });
});

describe('bad input', () => {
  it('hostile markdown is stored as written and rendered harmless', async () => {
    const hostile = '<script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)> <a href="https://evil.example" onclick="x()">link</a>\n\n# Big heading';
    const content = readCaseForm({ title: 'Hostile', context: hostile }, false).content;
    const id = (await startDraft(db, users.author, content)) as { ok: true; id: number };
    const stored = (await findCase(db, id.id))!;
    expect(stored.content.sections.context).toBe(hostile.trim());
    const { html } = renderCaseBody(stored.content, 'en');
    expect(html).not.toMatch(/<script|javascript:|onerror|onclick|<img/i);
    expect(html).toContain('rel="nofollow ugc noopener"');
    expect(html).not.toContain('<h1');
  });

  it('unknown topics, non-numeric indicators and incomplete rows are named; nothing else is lost', () => {
    const result = readCaseForm({ title: 'A title', topics: ['sme-support', 'astrology'], ind1Name: 'Jobs', ind1Before: 'many', ind1After: '12', ind1Unit: 'jobs', ind1Year: '2024', ind2Name: 'Half', costAmount: 'a lot' }, false);
    expect(result.errors).toMatchObject({ topics: 'cases.error.unknownTopic', ind1Before: 'cases.error.number', ind2Unit: 'cases.error.indicatorIncomplete', costAmount: 'cases.error.amount' });
    expect(result.content.title).toBe('A title');
    expect(readCaseForm({ ind1Name: 'Share', ind1Before: '4,5', ind1After: '3.9', ind1Unit: '%', ind1Year: '2024' }, false).content.indicators).toEqual([{ name: 'Share', before: 4.5, after: 3.9, unit: '%', year: 2024 }]);
  });

  it('a complete case reads back into the form it came from', () => {
    const content = complete();
    expect(readCaseForm(caseToForm(content), true)).toEqual({ content, errors: {} });
  });

  it('an account without a town cannot start a draft; a case of another town is not theirs to save', async () => {
    expect(await startDraft(db, users.editor, complete())).toEqual({ ok: false, problem: 'forbidden' });
    expect(await startDraft(db, null, complete())).toEqual({ ok: false, problem: 'forbidden' });
    const id = await createCaseDraft(db, { townId: townA, authorId: users.author!.id, language: 'en', title: 'x', sections: {}, topics: [] });
    expect(await saveCase(db, users.other!, { id, version: 1, content: complete(), submit: false })).toEqual({ ok: false, problem: 'forbidden' });
    expect(await saveCase(db, users.author!, { id: id + 99, version: 1, content: complete(), submit: false })).toEqual({ ok: false, problem: 'notFound' });
  });
});
