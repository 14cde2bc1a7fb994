// Checks both build paths make on what they wrote (scripts/build-entry.mjs after a full
// build, scripts/fast-rebuild.mjs after a content-only one).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Content collections with prerendered pages → their URL section. */
export const PRERENDERED_SECTIONS = { resources: 'resources', news: 'news', events: 'events', programmes: 'funding' };

/**
 * The content files of a prerendered section that have no page in `client`. Astro 5.18 can
 * bundle a data store older than the content it synced (a save already under way when the
 * last one is asked for writes the older data again), which would drop pages without an error.
 */
export function missingPages(client) {
  const missing = [];
  for (const [collection, section] of Object.entries(PRERENDERED_SECTIONS)) {
    for (const lang of ['kk', 'ru', 'en']) {
      const folder = join('content', collection, lang);
      for (const name of existsSync(folder) ? readdirSync(folder) : []) {
        if (!name.endsWith('.md')) continue;
        const page = join(client, lang, section, name.slice(0, -'.md'.length), 'index.html');
        if (!existsSync(page)) missing.push(page);
      }
    }
  }
  return missing;
}

const inlineScript = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/;

/** Whether an HTML page carries an inline script (the Content-Security-Policy allows scripts from 'self' only). */
export function hasInlineScript(html) {
  return inlineScript.test(html);
}
