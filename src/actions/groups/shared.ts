import { ActionError, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import type { MessageKey } from '~/i18n/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { db } from '~/server/db/index.ts';
import { groupForViewer, type GroupAccess } from '~/server/groups/groups.ts';
import type { GroupActor } from '~/server/groups/workflows.ts';
import { cleanText } from '~/actions/fields.ts';
import { MARKDOWN_MAX_LENGTH } from '~/server/markdown.ts';
import { requestClientAddress, throttle as countWrite } from '~/actions/request.ts';

// What every group action asks first: who is signing, which group, may they write.
// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** Markdown a member writes: line breaks counted as browsers count them, kept as written. */
export const markdown = z.preprocess(
  (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value),
  cleanText()
    .refine((value) => value.trim().length > 0, 'form.required')
    .refine((value) => value.length <= MARKDOWN_MAX_LENGTH, 'groups.form.bodyTooLong'),
);

/** Rate limits per member: writing, joining, inviting. */
const LIMITS = {
  post: { limit: 30, windowSeconds: 600 },
  join: { limit: 20, windowSeconds: 3600 },
  lead: { limit: 60, windowSeconds: 3600 },
} as const;

/** Refuses with a status and a message key (`groups.problem.*` keys are listed in src/i18n/groups). */
export function fail(code: ActionError['code'], message: MessageKey | `groups.problem.${string}`): never {
  throw new ActionError({ code, message });
}

/** The signed-in user, or 401. */
export function signedIn(context: ActionAPIContext): CurrentUser {
  const user = context.locals.user;
  if (!user) fail('UNAUTHORIZED', 'auth.signInRequired');
  return user;
}

/** The group for this user, or 404: a private group is not found for anyone outside it. */
export async function loadGroup(context: ActionAPIContext, groupId: number): Promise<GroupAccess & { user: CurrentUser }> {
  const user = signedIn(context);
  const access = await groupForViewer(db(), { id: groupId }, user);
  if (!access) fail('NOT_FOUND', 'groups.problem.notFound');
  return { ...access, user };
}

/** Counts one write of a kind for the member; 429 past the limit. */
export function throttle(user: CurrentUser, kind: keyof typeof LIMITS): Promise<void> {
  return countWrite(`groups.${kind}:${user.id}`, LIMITS[kind], 'groups.problem.throttled');
}

/** An archived group is read-only: 409. */
export function refuseArchived(access: GroupAccess): void {
  if (access.group.archived) fail('CONFLICT', 'groups.problem.archived');
}

/** The user as the group workflows name them (and audit them). */
export function actor(context: ActionAPIContext, user: CurrentUser): GroupActor {
  return { id: user.id, displayName: user.displayName, clientAddress: requestClientAddress(context) };
}
