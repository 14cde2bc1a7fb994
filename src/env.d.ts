/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Client address from the socket (or trusted proxy), set by the Node entry. */
    clientAddress?: string;
    /** This request's id (also its X-Request-Id header), set by the Node entry, for log lines about it. */
    requestId?: string;
    /** Language of this request, from the URL. */
    lang: import('./i18n/index.ts').Language;
    /** Translator for `lang`. */
    t: import('./i18n/index.ts').Translate;
    /** The signed-in user, or null. */
    user: import('./server/auth/lucia.ts').CurrentUser | null;
    /** The current session, or null. */
    session: import('lucia').Session | null;
    /**
     * Set by a page (src/server/cache/shared-pages.ts) when its answer is the same for every
     * reader who is not signed in: the change areas it shows, so the Node entry's page cache
     * (src/node/page-cache.ts) may keep it until one of them changes.
     */
    sharedPage?: { areas: readonly import('./server/cache/changes.ts').ChangeArea[] };
    /**
     * Set only by the Node entry (src/node/live-related.ts) on a request for a prerendered item
     * page while it holds no current set of the pages whose related items the database
     * changes: the item page hands the set back through it.
     */
    offerLiveRelatedPages?: import('./server/knowledge/live-related-pages.ts').OfferLiveRelatedPages;
  }
}
