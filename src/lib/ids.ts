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

/**
 * Whether a URL segment can be a slug (towns, groups, cases): lower-case Latin letters,
 * digits and hyphens, as `slugify` makes them. Lookups check it first, so text the
 * database cannot even hold (PostgreSQL refuses a NUL) never reaches a query.
 */
export function isSlug(segment: string | null | undefined): segment is string {
  return typeof segment === 'string' && /^[a-z0-9][a-z0-9-]{0,119}$/.test(segment);
}

/** Whether text can be an account id, as lucia makes them; the same rule as the forms' `userId` field. */
export function isAccountId(segment: string | null | undefined): segment is string {
  return typeof segment === 'string' && /^[A-Za-z0-9_-]{10,40}$/.test(segment);
}
