import type { MessageKey } from '~/i18n/index.ts';
import { SECTIONS } from '~/lib/knowledge/sections.ts';
import type { EditorialCollection } from './frontmatter.ts';

/**
 * The association's own pages (content/pages/<lang>/<slug>.md) and where the public reads
 * them. Each has its own route (src/pages/[lang]/<slug>.astro) except the priorities,
 * which the home page shows. A portal item of collection `pages` has the slug of one of
 * these files: its published version is shown there instead of the file.
 */
export const ASSOCIATION_PAGE_SLUGS = ['about', 'membership', 'privacy', 'accessibility', 'contact', 'rules', 'priorities'] as const;
export type AssociationPageSlug = (typeof ASSOCIATION_PAGE_SLUGS)[number];

export function isAssociationPageSlug(value: unknown): value is AssociationPageSlug {
  return typeof value === 'string' && (ASSOCIATION_PAGE_SLUGS as readonly string[]).includes(value);
}

/** A page's address without the language prefix: `/about/`; the priorities are on the home page (`/`). */
export function associationPagePath(slug: string): string {
  return slug === 'priorities' ? '/' : `/${slug}/`;
}

/** Where the public reads a portal item, without the language prefix. */
export function editorialPublicPath(collection: EditorialCollection, slug: string): string {
  return collection === 'pages' ? associationPagePath(slug) : `/${SECTIONS[collection].path}/${slug}/`;
}

/** One item of a collection, for the workspace's lists and headings. */
export function editorialKindKey(collection: EditorialCollection): MessageKey {
  return collection === 'pages' ? 'editorial.pages.kind' : SECTIONS[collection].singular;
}
