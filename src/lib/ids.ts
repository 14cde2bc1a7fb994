/**
 * The one rule for a record id written as text (a URL segment or a form field): digits
 * only, no leading zero, and no larger than a 32-bit signed integer, far beyond any
 * table's count and safe in every database and in JavaScript. Anything else is not an
 * id: a page answers 404 and a form 400, rather than guessing.
 */
export const MAX_ID = 2 ** 31 - 1;

/** A record id from a URL segment or form value; null when it is not one. */
export function parseId(segment: string | null | undefined): number | null {
  if (!segment || !/^[1-9]\d{0,9}$/.test(segment)) return null;
  const id = Number(segment);
  return id <= MAX_ID ? id : null;
}
