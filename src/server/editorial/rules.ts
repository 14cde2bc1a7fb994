import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { EditorialState } from '~/server/db/schema.ts';

/**
 * Who may do what in the editorial workspace. Pure functions of the user and the item,
 * called by every action and every editor page, tested as a role × action table.
 * Authors (association staff) write, translate and submit; editors and administrators
 * also publish, schedule and withdraw. Members and visitors do none of it.
 */

/** The part of an item the rules look at. */
export interface EditorialFacts {
  state: EditorialState;
}

/** What one may do with portal items. */
export const EDITORIAL_ACTIONS = ['create', 'edit', 'submit', 'publish', 'schedule', 'withdraw', 'translate'] as const;
export type EditorialAction = (typeof EDITORIAL_ACTIONS)[number];

/** Authors, editors and administrators work in the editorial workspace. */
export function canUseEditorial(user: CurrentUser | null): user is CurrentUser {
  return !!user && !user.disabled && (user.role === 'author' || user.role === 'editor' || user.role === 'admin');
}

/** Editors and administrators decide what is published. */
export function canPublishEditorial(user: CurrentUser | null): user is CurrentUser {
  return !!user && !user.disabled && (user.role === 'editor' || user.role === 'admin');
}

/**
 * Whether `user` may do `action` to an item in `facts` (no facts: a new item). An author
 * edits a draft or drafts a revision of a published item, never one waiting for review,
 * scheduled or withdrawn (those are the editors' to decide on).
 */
export function mayEditorial(user: CurrentUser | null, action: EditorialAction, facts?: EditorialFacts): boolean {
  if (!canUseEditorial(user)) return false;
  const editor = canPublishEditorial(user);
  if (action === 'create') return true;
  if (!facts) return false;
  switch (action) {
    case 'edit':
    case 'translate':
      return editor || facts.state === 'draft' || facts.state === 'published';
    case 'submit':
      return facts.state === 'draft';
    case 'publish':
      return editor && facts.state !== 'published';
    case 'schedule':
      return editor && (facts.state === 'draft' || facts.state === 'submitted' || facts.state === 'scheduled');
    case 'withdraw':
      return editor && facts.state !== 'withdrawn';
  }
}
