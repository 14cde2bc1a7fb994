import type { Kysely } from 'kysely';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { getRequest } from '~/server/exchange/requests.ts';
import { getResponse } from '~/server/exchange/responses.ts';
import { canModerate as canModerateExchange, canViewRequest, canViewResponse } from '~/server/exchange/rules.ts';
import { groupForViewer, type GroupAccess } from '~/server/groups/groups.ts';
import { canModerate as canModerateGroup, canPost, canLead, canReadThreads, canSeeHidden } from '~/server/groups/rules.ts';
import { itemOfEditorialFile } from '~/server/editorial/files.ts';
import { canUseEditorial, mayEditorial } from '~/server/editorial/rules.ts';
import type { StoredFile } from './files.ts';
import { documentGroupId, postOfReply, postOfThread } from './owners.ts';

/**
 * Who may download and remove a file: exactly who may see the thing it is attached to.
 * A file of something the viewer may not know about is "not found"; of something they
 * know exists but may not read (an open group's discussion, for a non-member),
 * "forbidden"; a visitor who is not signed in is asked to sign in, except for a town's
 * photo, which the public town profile shows, and a portal item's file, which anyone may
 * download while the item's published version lists it and only authors and editors
 * otherwise (the public is told "not found", as the item's page does).
 */
export type FileAccess =
  | { may: 'read'; remove: boolean; inline: boolean }
  | { may: 'signIn' }
  | { may: 'forbidden' }
  | { may: 'notFound' };

const NOT_FOUND: FileAccess = { may: 'notFound' };
const FORBIDDEN: FileAccess = { may: 'forbidden' };

/** Editors and administrators. */
function isEditor(user: CurrentUser | null): boolean {
  return !!user && !user.disabled && (user.role === 'editor' || user.role === 'admin');
}

/** The town's own administrator, editors and administrators change a town's photo. */
export function canManageTownPhoto(user: CurrentUser | null, townId: number): user is CurrentUser {
  if (!user || user.disabled) return false;
  return isEditor(user) || (user.role === 'town_admin' && user.town?.id === townId);
}

/** Who adds documents to a group's library: its leads (and editors), or every member, as the group chose. */
export function canAddDocument(access: GroupAccess, uploads: 'leads' | 'members'): boolean {
  return uploads === 'members' ? canPost(access.group, access.viewer) : canLead(access.group, access.viewer);
}

/** What `user` may do with `file`. */
export async function fileAccess(db: Kysely<Database>, user: CurrentUser | null, file: StoredFile): Promise<FileAccess> {
  if (file.attachedKind === 'town_photo') return { may: 'read', remove: canManageTownPhoto(user, file.attachedId), inline: true };
  if (file.attachedKind === 'editorial') return editorialFileAccess(db, user, file);
  if (!user || user.disabled) return { may: 'signIn' };
  const own = file.uploaderId === user.id;
  const read = (moderator: boolean): FileAccess => ({ may: 'read', remove: own || moderator, inline: false });

  switch (file.attachedKind) {
    case 'request': {
      const request = await getRequest(db, file.attachedId);
      if (!request || !canViewRequest(user, { townId: request.townId, authorId: request.authorId, status: request.status, hidden: request.hidden })) return NOT_FOUND;
      return read(canModerateExchange(user));
    }
    case 'response': {
      const response = await getResponse(db, file.attachedId);
      if (!response || !canViewResponse(user, response)) return NOT_FOUND;
      // A withdrawn response's text is gone from its page; so are its files, but for its author and editors.
      if (response.withdrawn && response.authorId !== user.id && !canModerateExchange(user)) return NOT_FOUND;
      const request = await getRequest(db, response.requestId);
      if (!request || !canViewRequest(user, { townId: request.townId, authorId: request.authorId, status: request.status, hidden: request.hidden })) return NOT_FOUND;
      return read(canModerateExchange(user));
    }
    case 'thread':
    case 'reply': {
      const post = file.attachedKind === 'thread' ? await postOfThread(db, file.attachedId) : await postOfReply(db, file.attachedId);
      if (!post) return NOT_FOUND;
      const access = await groupForViewer(db, { id: post.groupId }, user);
      if (!access) return NOT_FOUND;
      if (!canReadThreads(access.group, access.viewer)) return FORBIDDEN;
      // A hidden post's files go with its text: only its author and moderators see them.
      if (post.hidden.some((hidden) => hidden.hidden && !canSeeHidden(access.viewer, hidden.authorId))) return NOT_FOUND;
      return read(canModerateGroup(access.group, access.viewer) || access.viewer.role === 'lead');
    }
    case 'document': {
      const groupId = await documentGroupId(db, file.attachedId);
      if (groupId === undefined) return NOT_FOUND;
      const access = await groupForViewer(db, { id: groupId }, user);
      if (!access) return NOT_FOUND;
      if (!canReadThreads(access.group, access.viewer)) return FORBIDDEN;
      return read(canModerateGroup(access.group, access.viewer) || access.viewer.role === 'lead');
    }
    default:
      return NOT_FOUND;
  }
}

/**
 * A portal item's file: public while the item is public and its published version lists
 * the file (one added to a revision waits for its publication); authors and editors
 * always; taken off the working copy by whoever may edit the item.
 */
async function editorialFileAccess(db: Kysely<Database>, user: CurrentUser | null, file: StoredFile): Promise<FileAccess> {
  const item = await itemOfEditorialFile(db, file);
  if (!item) return NOT_FOUND;
  if (!(item.isPublic && item.published) && !canUseEditorial(user)) return NOT_FOUND;
  return { may: 'read', remove: item.working && mayEditorial(user, 'edit', item), inline: false };
}
