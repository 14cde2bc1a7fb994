/** A record id from a URL segment: digits only, no leading zero, within safe integers; else null. */
export function parseId(segment: string | undefined): number | null {
  if (!segment || !/^[1-9]\d{0,14}$/.test(segment)) return null;
  return Number(segment);
}
