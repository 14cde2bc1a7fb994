import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { BoundedCache } from '~/lib/bounded-cache.ts';

/**
 * The one renderer for markdown that members write (requests, responses, threads,
 * cases). Text is stored exactly as written and made harmless here, at render time,
 * so a better allow-list later fixes every old post too.
 *
 * marked does not sanitise; sanitize-html with an allow-list does. (DOMPurify needs
 * jsdom on the server, which leaks memory on Node 20.)
 */

/** Longest markdown a member may submit anywhere, in characters. */
export const MARKDOWN_MAX_LENGTH = 20_000;

/**
 * The limit as the forms' hints print it ("20 000"), worked out once: toLocaleString
 * builds a new number format on every call, which cost a thread view more than its queries.
 */
export const MARKDOWN_MAX_LENGTH_TEXT = MARKDOWN_MAX_LENGTH.toLocaleString('en').replace(/,/g, ' ');

// A private instance: options set here never leak into other users of marked.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'blockquote', 'pre', 'code',
  'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li',
  'strong', 'em', 'del', 's',
  'a',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
];

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
  },
  // Relative links stay allowed (they stay on the portal); no data:, javascript:, etc.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Contents of these are dropped entirely, not shown as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'svg', 'math', 'iframe', 'object', 'template'],
  disallowedTagsMode: 'discard',
  transformTags: {
    // Members' headings sit under the page's own h1/h2: "# Title" becomes an h2.
    h1: 'h2',
    a: (tagName, attribs) => ({
      tagName,
      // Only these attributes survive, whatever the member wrote on the link.
      attribs: {
        ...(attribs.href !== undefined ? { href: attribs.href } : {}),
        ...(attribs.title !== undefined ? { title: attribs.title } : {}),
        rel: 'nofollow ugc noopener',
        ...(isExternal(attribs.href) ? { target: '_blank' } : {}),
      },
    }),
  },
};

function isExternal(href: string | undefined): boolean {
  return typeof href === 'string' && /^https?:\/\//i.test(href);
}

/**
 * Rendered markdown kept by its source, up to this many characters of source and HTML
 * together (about 16 MB at two bytes a character): a thread's page renders the same
 * posts for every reader, and marked + sanitize-html cost more than the rest of the
 * page. The rendering is a pure function of the source, so nothing kept goes stale.
 */
const RENDERED_CACHE_CHARS = 8 * 1024 * 1024;
const rendered = new BoundedCache<string, string>(RENDERED_CACHE_CHARS, (source, html) => source.length + html.length);

/** Renders member markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(source: string): string {
  return rendered.get(source, (text) => sanitizeHtml(marked.parse(text) as string, SANITIZE_OPTIONS));
}

/** Plain text of member markdown, for excerpts, titles of notifications and emails. */
export function markdownToText(source: string, maxLength = 200): string {
  return truncateText(plainTextOf(source), maxLength);
}

/** Text cut to `maxLength` characters at most, with an ellipsis when cut (as markdownToText cuts). */
export function truncateText(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}

/** Markdown without `<` or `&`: marked's HTML of it holds no tag but its own and no entity but its own escapes. */
const WITHOUT_HTML = /^[^<&]*$/;

function plainTextOf(source: string): string {
  const html = marked.parse(source) as string;
  // Dropping marked's own tags is then exactly what sanitize-html does, at a small part of
  // its cost (search makes text of every post; the cost was a third of a full reindex).
  const text = WITHOUT_HTML.test(source) ? html.replace(/<[^>]*>/g, '') : sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  return text
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
