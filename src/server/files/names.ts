import type { AcceptedType } from './types.ts';

// A file name comes from the uploader's computer and is only ever shown and offered
// as the download's name; it never reaches a file path (storage keys are random).

const MAX_BASE_LENGTH = 100;

/**
 * The name a file is shown and downloaded under: the last segment of what was sent,
 * without control or reserved characters, with the extension of the type its content
 * really is (a PNG sent as "scan.pdf" becomes "scan.png").
 */
export function safeFileName(sent: string, type: Pick<AcceptedType, 'extension'>): string {
  const last = sent.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .replace(/[\u0000-\u001F\u007F-\u009F<>:"|?*\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const dot = cleaned.lastIndexOf('.');
  let base = (dot > 0 ? cleaned.slice(0, dot) : cleaned).replace(/^[.\s]+|[.\s]+$/g, '');
  if (base.length > MAX_BASE_LENGTH) base = [...base].slice(0, MAX_BASE_LENGTH).join('').trim();
  return `${base || 'file'}.${type.extension}`;
}

/** RFC 5987 encoding of a name for `filename*`: UTF-8, percent-encoded, nothing left that needs quoting. */
function encodeExtended(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The Content-Disposition of a download: `attachment` (or `inline` for an image shown
 * on a page), an ASCII `filename` for old clients and the real name as `filename*`.
 */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline'): string {
  const ascii = name.replace(/[^\x20-\x7E]/g, '_').replace(/["\\%;]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeExtended(name)}`;
}
