/**
 * The one rule for a record id written as text (a URL segment or a form field): digits
 * only, no leading zero, at most 15 digits so it stays a safe integer. Anything else is
 * not an id, and a page answers 404 rather than guessing.
 */
const ID = /^[1-9]\d{0,14}$/;

/** A record id from a URL segment or form value; null when it is not one. */
export function parseId(segment: string | null | undefined): number | null {
  if (!segment || !ID.test(segment)) return null;
  return Number(segment);
}
