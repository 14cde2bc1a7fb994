/** The page number from `?page=`, or undefined when it is not a positive whole number. */
export function pageNumber(url: URL): number | undefined {
  const raw = url.searchParams.get('page');
  if (raw === null) return 1;
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : undefined;
}

/** The path of a group page under the language root. */
export function groupHref(lang: string, slug: string, rest = ''): string {
  return `/${lang}/groups/${slug}/${rest}`;
}
