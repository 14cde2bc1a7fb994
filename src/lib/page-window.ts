/** A numbered page link, or a gap standing for the pages left out between two of them. */
export type PageWindowEntry = number | 'gap';

/** How many pages on each side of the current one get a link when not every page does. */
const AROUND = 2;

/**
 * The page numbers a list's page links show: every page while there are few, otherwise the
 * first, the last and those around the current page, with a gap where pages are left out.
 * A list of 10,000 items has 1,000 pages: a link to each made every page of it some 40 KB of
 * links to render and send, and a list no reader could use. A page past the end counts as
 * the last page, so its links lead back.
 */
export function pageWindow(page: number, pages: number): PageWindowEntry[] {
  if (pages <= 2 * AROUND + 3) return Array.from({ length: pages }, (_, index) => index + 1);
  const current = Math.min(Math.max(page, 1), pages);
  const from = Math.max(2, current - AROUND);
  const to = Math.min(pages - 1, current + AROUND);
  const entries: PageWindowEntry[] = [1];
  // A gap of one page is shown as that page: a gap should save a link, not stand for one.
  if (from === 3) entries.push(2);
  else if (from > 3) entries.push('gap');
  for (let n = from; n <= to; n++) entries.push(n);
  if (to === pages - 2) entries.push(pages - 1);
  else if (to < pages - 2) entries.push('gap');
  entries.push(pages);
  return entries;
}
