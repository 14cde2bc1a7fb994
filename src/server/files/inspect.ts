import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { safeFileName } from './names.ts';
import { ACCEPTED_TYPES, MAX_FILE_BYTES, type AcceptedType } from './types.ts';

/** A file checked and ready to store: its safe name, its type (from its content), its bytes (images re-encoded). */
export interface PreparedFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** Why a file is refused. Each has a message `files.error.<problem>`. */
export type UploadProblem = 'empty' | 'tooLarge' | 'refusedType' | 'imageOnly' | 'unreadableImage';

/** Images larger than this many pixels are refused before decoding (a small file can unpack to gigabytes). */
const MAX_IMAGE_PIXELS = 40_000_000;
/** Images are kept at most this wide and high; larger ones are scaled down. */
const MAX_IMAGE_SIDE = 4096;

const byMediaType = new Map(ACCEPTED_TYPES.map((type) => [type.mediaType, type]));
const TEXT_PLAIN = byMediaType.get('text/plain')!;
const TEXT_CSV = byMediaType.get('text/csv')!;

/**
 * Checks a file by its content, never its name: refused when empty, above 20 MB or not
 * of an accepted type. A binary type is what file-type reads in its bytes; a file with
 * no known signature is accepted only as text (valid UTF-8, no NUL byte), as CSV when
 * its name says so and as plain text otherwise. Images are decoded and encoded again,
 * which drops their metadata (EXIF with GPS position, camera, comments): sharp writes
 * none unless asked.
 */
export async function prepareUpload(sentName: string, bytes: Uint8Array, options: { imagesOnly?: boolean } = {}): Promise<{ ok: true; file: PreparedFile } | { ok: false; problem: UploadProblem }> {
  if (bytes.byteLength === 0) return { ok: false, problem: 'empty' };
  if (bytes.byteLength > MAX_FILE_BYTES) return { ok: false, problem: 'tooLarge' };
  const type = await typeOf(sentName, bytes);
  if (!type) return { ok: false, problem: options.imagesOnly ? 'imageOnly' : 'refusedType' };
  if (options.imagesOnly && !type.image) return { ok: false, problem: 'imageOnly' };
  let stored = bytes;
  if (type.image) {
    const encoded = await reencodeImage(bytes, type);
    if (!encoded) return { ok: false, problem: 'unreadableImage' };
    if (encoded.byteLength > MAX_FILE_BYTES) return { ok: false, problem: 'tooLarge' };
    stored = encoded;
  }
  return { ok: true, file: { name: safeFileName(sentName, type), mediaType: type.mediaType, bytes: stored } };
}

/** The accepted type of these bytes, or undefined. */
async function typeOf(sentName: string, bytes: Uint8Array): Promise<AcceptedType | undefined> {
  let found;
  try {
    found = await fileTypeFromBuffer(bytes);
  } catch {
    // A damaged container (a zip cut short) is nothing Qala accepts.
    return undefined;
  }
  if (found) return byMediaType.get(found.mime);
  if (!isText(bytes)) return undefined;
  return /\.csv$/i.test(sentName.trim()) ? TEXT_CSV : TEXT_PLAIN;
}

/** Valid UTF-8 with no NUL byte. */
function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The image decoded, turned upright by its EXIF orientation, and encoded again in its own format without metadata. */
async function reencodeImage(bytes: Uint8Array, type: AcceptedType): Promise<Uint8Array | undefined> {
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded = type.extension === 'png' ? image.png({ compressionLevel: 9 }) : type.extension === 'webp' ? image.webp({ quality: 85 }) : image.jpeg({ quality: 85, mozjpeg: true });
    return new Uint8Array(await encoded.toBuffer());
  } catch {
    return undefined;
  }
}
