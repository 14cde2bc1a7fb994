import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';
import {
  canCommentOnCase,
  canDecideCase,
  canEditCase,
  canProposeChanges,
  canReviewCases,
  canSubmitCase,
  canUnpublishCase,
  canViewCase,
  canWithdrawCase,
  canWriteCases,
  isOfTown,
  type CaseFacts,
} from '~/server/cases/rules.ts';

/** The case's town. */
const TOWN = 1;
const OTHER_TOWN = 2;

type Who = 'public' | 'town member' | 'town admin' | 'other town' | 'editor' | 'admin';
const WHO: Who[] = ['public', 'town member', 'town admin', 'other town', 'editor', 'admin'];

function user(who: Who): CurrentUser | null {
  if (who === 'public') return null;
  const role: Role = who === 'town admin' ? 'town_admin' : who === 'editor' || who === 'admin' ? who : 'member';
  const townId = who === 'town member' || who === 'town admin' ? TOWN : who === 'other town' ? OTHER_TOWN : null;
  return { id: `u-${who}`, email: `${who}@x`, displayName: who, role, language: 'en', disabled: false, town: townId === null ? null : { id: townId, slug: `town-${townId}`, name: { kk: 'T', ru: 'T', en: 'T' } } };
}

const Y = true;
const N = false;

describe('who may work on member cases at all (rules table)', () => {
  // Columns: review cases, write cases.
  const EXPECTED: Record<Who, boolean[]> = {
    public: [N, N],
    'town member': [N, Y],
    'town admin': [N, Y],
    'other town': [N, Y],
    editor: [Y, N],
    admin: [Y, N],
  };

  it('public, town member, town admin, other town, editor, admin × review, write', () => {
    const actual = Object.fromEntries(WHO.map((who) => [who, [canReviewCases(user(who)), canWriteCases(user(who))]]));
    expect(actual).toEqual(EXPECTED);
  });
});

describe('who may do what with one case (rules table)', () => {
  type Act = 'view' | 'edit' | 'submit' | 'withdraw' | 'propose changes' | 'decide' | 'unpublish' | 'comment' | 'of town';
  const ACTS: Record<Act, (user: CurrentUser | null, facts: CaseFacts) => boolean> = {
    view: canViewCase,
    edit: canEditCase,
    submit: canSubmitCase,
    withdraw: canWithdrawCase,
    'propose changes': canProposeChanges,
    decide: canDecideCase,
    unpublish: canUnpublishCase,
    comment: canCommentOnCase,
    'of town': isOfTown,
  };

  type State = 'draft' | 'submitted' | 'changes requested' | 'rejected' | 'public' | 'proposal to a public case' | 'rejected proposal' | 'unpublished';
  const FACTS: Record<State, CaseFacts> = {
    draft: { townId: TOWN, status: 'draft', isPublic: false, hasPublished: false },
    submitted: { townId: TOWN, status: 'submitted', isPublic: false, hasPublished: false },
    'changes requested': { townId: TOWN, status: 'changes_requested', isPublic: false, hasPublished: false },
    rejected: { townId: TOWN, status: 'rejected', isPublic: false, hasPublished: false },
    public: { townId: TOWN, status: 'approved', isPublic: true, hasPublished: true },
    'proposal to a public case': { townId: TOWN, status: 'draft', isPublic: true, hasPublished: true },
    'rejected proposal': { townId: TOWN, status: 'rejected', isPublic: true, hasPublished: true },
    unpublished: { townId: TOWN, status: 'approved', isPublic: false, hasPublished: true },
  };

  // Rows: public, town member, town admin, other town, editor, admin.
  // Columns: view, edit, submit, withdraw, propose changes, decide, unpublish, comment, of town.
  const EXPECTED: Record<State, boolean[][]> = {
    // A draft is its town's alone until it is submitted: editors neither open nor comment on it.
    draft: [
      [N, N, N, N, N, N, N, N, N],
      [Y, Y, Y, N, N, N, N, Y, Y],
      [Y, Y, Y, N, N, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [N, N, N, N, N, N, N, N, N],
      [N, N, N, N, N, N, N, N, N],
    ],
    submitted: [
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, Y, N, N, N, Y, Y],
      [Y, N, N, Y, N, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, Y, N, Y, N],
      [Y, N, N, N, N, Y, N, Y, N],
    ],
    // Sent back, not a draft: the editors who asked for changes follow the revision.
    'changes requested': [
      [N, N, N, N, N, N, N, N, N],
      [Y, Y, Y, N, N, N, N, Y, Y],
      [Y, Y, Y, N, N, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, Y, N],
      [Y, N, N, N, N, N, N, Y, N],
    ],
    rejected: [
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, Y, Y],
      [Y, N, N, N, N, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, Y, N],
      [Y, N, N, N, N, N, N, Y, N],
    ],
    public: [
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, Y, N, N, Y, Y],
      [Y, N, N, N, Y, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, Y, Y, N],
      [Y, N, N, N, N, N, Y, Y, N],
    ],
    // The revision is a draft too; editors still withdraw the public copy.
    'proposal to a public case': [
      [N, N, N, N, N, N, N, N, N],
      [Y, Y, Y, N, N, N, N, Y, Y],
      [Y, Y, Y, N, N, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [N, N, N, N, N, N, Y, N, N],
      [N, N, N, N, N, N, Y, N, N],
    ],
    'rejected proposal': [
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, Y, N, N, Y, Y],
      [Y, N, N, N, Y, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, Y, Y, N],
      [Y, N, N, N, N, N, Y, Y, N],
    ],
    unpublished: [
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, Y, N, N, Y, Y],
      [Y, N, N, N, Y, N, N, Y, Y],
      [N, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, Y, N],
      [Y, N, N, N, N, N, N, Y, N],
    ],
  };

  it.each(Object.keys(FACTS) as State[])('%s case: public, town member, town admin, other town, editor, admin × view, edit, submit, withdraw, propose, decide, unpublish, comment, of town', (state) => {
    const acts = Object.values(ACTS);
    const actual = WHO.map((who) => acts.map((act) => act(user(who), FACTS[state])));
    expect(actual).toEqual(EXPECTED[state]);
  });
});
