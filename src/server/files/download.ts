import type { Kysely } from 'kysely';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { findFile, readFileBytes } from './files.ts';
import { contentDisposition } from './names.ts';
import { fileAccess } from './rules.ts';

/** What the download route answers: the file, or why not. */
export type Download = { kind: 'file'; response: Response } | { kind: 'signIn' } | { kind: 'forbidden' } | { kind: 'notFound' };

/**
 * A file for `user`, as a Response ready to send, if they may see what it is attached to.
 * It is offered as a download (`attachment`), except a town's photo, an image shown on
 * the town's profile (`inline`); it never runs as a page of this site: the type is the
 * one found in its content, not to be guessed again (`nosniff`), and a sandbox CSP keeps
 * anything opened in the browser from scripts, forms and this origin's cookies.
 */
export async function download(db: Kysely<Database>, user: CurrentUser | null, fileId: number): Promise<Download> {
  const file = await findFile(db, fileId);
  if (!file) return { kind: 'notFound' };
  const access = await fileAccess(db, user, file);
  if (access.may !== 'read') return { kind: access.may };
  const bytes = await readFileBytes(db, file.id);
  if (!bytes) return { kind: 'notFound' };
  const text = file.mediaType.startsWith('text/');
  const headers = new Headers({
    'Content-Type': text ? `${file.mediaType}; charset=utf-8` : file.mediaType,
    'Content-Length': String(bytes.byteLength),
    'Content-Disposition': contentDisposition(file.name, access.inline ? 'inline' : 'attachment'),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    // A member's file is theirs to fetch again, never a shared cache's; a town's photo is public.
    'Cache-Control': access.inline ? 'public, max-age=300' : 'private, no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  return { kind: 'file', response: new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers }) };
}
