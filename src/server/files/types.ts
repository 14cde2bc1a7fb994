// What Qala accepts as a shared file, and how much. Pure constants: the action fields,
// the inspector, the pages and the README's "Files" section all say the same.

/** At most this many bytes a file (20 MB), and a post's files together. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** At most this many files in one post (a request, a response, a thread or a reply). */
export const MAX_FILES_PER_POST = 5;

/**
 * Largest request body the server reads for an action (astro.config.mjs
 * `security.actionBodySizeLimit`): a post's files plus room for its text. Anything larger
 * is answered 413 before it is read.
 */
export const MAX_UPLOAD_BODY_BYTES = MAX_FILE_BYTES + 1024 * 1024;

/** An accepted type: the media type found in the content, its file name extension, whether it is an image. */
export interface AcceptedType {
  mediaType: string;
  extension: string;
  image: boolean;
  /** What readers see, e.g. "PDF". */
  label: string;
}

/**
 * The accepted types. Each binary type is recognised by its content (file-type's
 * signatures); text types have no signature, so CSV and plain text are whatever is
 * valid UTF-8 without NUL bytes (src/server/files/inspect.ts). Old binary Office
 * formats (.doc, .xls), macro-enabled ones and archives are refused: they are where
 * macros and surprises travel.
 */
export const ACCEPTED_TYPES: readonly AcceptedType[] = [
  { mediaType: 'application/pdf', extension: 'pdf', image: false, label: 'PDF' },
  { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', image: false, label: 'DOCX' },
  { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', image: false, label: 'XLSX' },
  { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx', image: false, label: 'PPTX' },
  { mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt', image: false, label: 'ODT' },
  { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods', image: false, label: 'ODS' },
  { mediaType: 'text/csv', extension: 'csv', image: false, label: 'CSV' },
  { mediaType: 'text/plain', extension: 'txt', image: false, label: 'TXT' },
  { mediaType: 'image/png', extension: 'png', image: true, label: 'PNG' },
  { mediaType: 'image/jpeg', extension: 'jpg', image: true, label: 'JPEG' },
  { mediaType: 'image/webp', extension: 'webp', image: true, label: 'WebP' },
];

/** The accepted type of a stored media type. */
export function acceptedType(mediaType: string): AcceptedType | undefined {
  return ACCEPTED_TYPES.find((type) => type.mediaType === mediaType);
}

/** The list readers see in hints: "PDF, DOCX, …". */
export const ACCEPTED_LABELS = ACCEPTED_TYPES.map((type) => type.label).join(', ');

/** What a file input's `accept` attribute offers (a hint for the browser's picker; the server decides). */
export const ACCEPT_ATTRIBUTE = ACCEPTED_TYPES.map((type) => `.${type.extension}`).concat('.jpeg').join(',');

/** Only images for a town's photo or emblem. */
export const IMAGE_ACCEPT_ATTRIBUTE = '.png,.jpg,.jpeg,.webp';
