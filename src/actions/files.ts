import { ActionError, ActionInputError, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import { defineAction } from '~/actions/define.ts';
import { choice, id, oneLine, optionalText } from '~/actions/fields.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { config } from '~/server/config.ts';
import { db } from '~/server/db/index.ts';
import { findFile, withinQuota } from '~/server/files/files.ts';
import { prepareUpload, type PreparedFile } from '~/server/files/inspect.ts';
import { addDocument, findDocument, libraryUploads } from '~/server/files/library.ts';
import { canAddDocument, canManageTownPhoto, fileAccess } from '~/server/files/rules.ts';
import { setTownPhoto } from '~/server/files/town-photo.ts';
import { removeFile, removeLibraryDocument, removeTownPhotoFiles } from '~/server/files/workflows.ts';
import { requestClientAddress } from '~/actions/request.ts';
import { MAX_FILE_BYTES, MAX_FILES_PER_POST } from '~/server/files/types.ts';
import { groupForViewer } from '~/server/groups/groups.ts';
import { canLead } from '~/server/groups/rules.ts';
import { setLibraryUploads } from '~/server/files/library.ts';
import { findTownBySlug } from '~/server/towns/towns.ts';

// Files: the form fields that carry them, and the actions of the document library, the
// town photo and removing an attachment. Error messages are i18n keys
// (src/i18n/files/); pages translate them (see src/lib/forms.ts).

/**
 * One file from a file input, not yet read: null when the input was left empty (browsers
 * send a nameless empty part, which arrives as an empty file or an empty string). Only
 * its size is judged here; its content is judged by `chosenFiles`, which the handler calls
 * once it knows who is posting, so nobody unauthorised makes the server decode images.
 */
const upload = () =>
  z.unknown().transform((value, context): File | null => {
    if (value === undefined || value === null || value === '') return null;
    if (!(value instanceof File)) {
      context.addIssue({ code: 'custom', message: 'form.invalid' });
      return z.NEVER;
    }
    if (value.name === '' && value.size === 0) return null;
    // Refused before reading: the size the form says is enough to say no.
    if (value.size > MAX_FILE_BYTES) {
      context.addIssue({ code: 'custom', message: 'files.error.tooLarge' });
      return z.NEVER;
    }
    return value;
  });

/** The files attached to a post (a request, a response, a thread, a reply): none, or up to five. */
export const attachments = z.array(upload()).max(MAX_FILES_PER_POST, 'files.error.tooMany').default([]);

/** A file field of a form that needs exactly one file (a library document, a town photo). */
export const singleUpload = upload;

/** A refusal shown next to a form's file field, the rest of what was typed kept. */
function refuseFiles(field: string, message: string): never {
  throw new ActionInputError([{ code: 'custom', path: [field], message }]);
}

/**
 * The chosen files of a form, checked and ready to store: each judged by its content
 * (src/server/files/inspect.ts; images re-encoded), together at most 20 MB, within the
 * quota of the town they count against. Any refusal is the file field's error, and
 * nothing is stored. Called by handlers after they have authorised the user.
 */
export async function chosenFiles(
  files: ReadonlyArray<File | null>,
  townId: number | null,
  options: { field?: string; required?: boolean; imagesOnly?: boolean } = {},
): Promise<PreparedFile[]> {
  const field = options.field ?? 'attachments';
  const chosen = files.filter((file): file is File => file !== null);
  if (options.required && chosen.length === 0) refuseFiles(field, 'files.error.required');
  if (chosen.reduce((sum, file) => sum + file.size, 0) > MAX_FILE_BYTES) refuseFiles(field, 'files.error.tooLargeTogether');
  const prepared: PreparedFile[] = [];
  for (const file of chosen) {
    const result = await prepareUpload(file.name, new Uint8Array(await file.arrayBuffer()), { imagesOnly: options.imagesOnly ?? false });
    if (!result.ok) refuseFiles(field, `files.error.${result.problem}`);
    prepared.push(result.file);
  }
  const bytes = prepared.reduce((sum, file) => sum + file.bytes.byteLength, 0);
  if (bytes > MAX_FILE_BYTES) refuseFiles(field, 'files.error.tooLargeTogether');
  if (!(await withinQuota(db(), townId, bytes, config().filesTownQuotaBytes))) refuseFiles(field, 'files.error.quota');
  return prepared;
}

function signedIn(context: ActionAPIContext): CurrentUser {
  const { user } = context.locals;
  if (!user || user.disabled) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  return user;
}

/** The signed-in user as the audit log records a removal they asked for. */
function remover(user: CurrentUser, context: ActionAPIContext) {
  return { id: user.id, clientAddress: requestClientAddress(context) };
}

function fail(code: ActionError['code'], message: string): never {
  throw new ActionError({ code, message });
}

/** A group the signed-in user may see, or 404 (a private group is not found for anyone outside it). */
async function visibleGroup(context: ActionAPIContext, groupId: number) {
  const user = signedIn(context);
  const access = await groupForViewer(db(), { id: groupId }, user);
  if (!access) fail('NOT_FOUND', 'groups.problem.notFound');
  return { ...access, user };
}

/** Attachments removed, library documents added and removed, a town's photo changed (`actions.files.*`). */
export const filesActions = {
  /** The uploader or a moderator of what it is attached to removes a file, for everyone. */
  remove: defineAction({
    accept: 'form',
    input: z.object({ file: id('files.error.notFound') }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const file = await findFile(db(), input.file);
      const access = file ? await fileAccess(db(), user, file) : undefined;
      if (!file || !access || access.may === 'notFound' || access.may === 'signIn') fail('NOT_FOUND', 'files.error.notFound');
      if (access.may !== 'read' || !access.remove) fail('FORBIDDEN', 'files.error.mayNotRemove');
      await removeFile(db(), file, remover(user, context));
      return { removed: file.id };
    },
  }),

  addDocument: defineAction({
    accept: 'form',
    input: z.object({ group: id(), title: oneLine(200, 3), description: optionalText(2000), file: singleUpload() }),
    handler: async (input, context) => {
      const access = await visibleGroup(context, input.group);
      if (access.group.archived) fail('CONFLICT', 'groups.problem.archived');
      if (!canAddDocument(access, await libraryUploads(db(), access.group.id))) fail('FORBIDDEN', 'files.error.mayNotAddDocument');
      const townId = access.user.town?.id ?? null;
      const [file] = await chosenFiles([input.file], townId, { field: 'file', required: true });
      const documentId = await addDocument(db(), { groupId: access.group.id, title: input.title, description: input.description?.trim() ?? '', file: file!, author: { id: access.user.id, townId } });
      return { documentId };
    },
  }),

  removeDocument: defineAction({
    accept: 'form',
    input: z.object({ group: id(), document: id('files.error.notFound') }),
    handler: async (input, context) => {
      const access = await visibleGroup(context, input.group);
      const document = await findDocument(db(), access.group.id, input.document);
      if (!document) fail('NOT_FOUND', 'files.error.notFound');
      const lead = access.viewer.role === 'lead' || canLead(access.group, access.viewer);
      if (document.createdBy !== access.user.id && !lead) fail('FORBIDDEN', 'files.error.mayNotRemove');
      await removeLibraryDocument(db(), document.id, remover(access.user, context));
      return { removed: document.id };
    },
  }),

  setLibraryUploads: defineAction({
    accept: 'form',
    input: z.object({ group: id(), uploads: choice(['leads', 'members'] as const) }),
    handler: async (input, context) => {
      const access = await visibleGroup(context, input.group);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      await setLibraryUploads(db(), access.group.id, input.uploads);
      return { uploads: input.uploads };
    },
  }),

  /** A town's administrator, editors and administrators set the town's photo or emblem (an image, stripped of its metadata). */
  setTownPhoto: defineAction({
    accept: 'form',
    input: z.object({ town: z.string().regex(/^[a-z0-9-]{1,80}$/, 'files.error.notFound'), photo: singleUpload() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const town = await findTownBySlug(db(), input.town);
      if (!town) fail('NOT_FOUND', 'files.error.notFound');
      if (!canManageTownPhoto(user, town.id)) fail('FORBIDDEN', 'files.error.mayNotChangePhoto');
      const [photo] = await chosenFiles([input.photo], town.id, { field: 'photo', required: true, imagesOnly: true });
      const fileId = await setTownPhoto(db(), town.id, photo!, user.id);
      return { fileId };
    },
  }),

  removeTownPhoto: defineAction({
    accept: 'form',
    input: z.object({ town: z.string().regex(/^[a-z0-9-]{1,80}$/, 'files.error.notFound') }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const town = await findTownBySlug(db(), input.town);
      if (!town) fail('NOT_FOUND', 'files.error.notFound');
      if (!canManageTownPhoto(user, town.id)) fail('FORBIDDEN', 'files.error.mayNotChangePhoto');
      await removeTownPhotoFiles(db(), town.id, remover(user, context));
      return { removed: true };
    },
  }),
};
