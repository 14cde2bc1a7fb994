// What a build was made from, apart from the content: a content-only rebuild
// (scripts/fast-rebuild.mjs) is allowed only when every one of these is as the last full
// build found it. A full build writes the record last (dist/build-inputs.json), so a
// dist/ without it is incomplete or from an interrupted build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_INPUTS_FILE = join('dist', 'build-inputs.json');

/** Folders and files whose every byte is code or configuration (the taxonomies are bundled into the code). */
const CODE = ['src', 'scripts', 'public', 'db/migrations', 'content/taxonomies', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** Environment variables the build reads (the site address in links and the sitemap, the time zone of dates). */
const ENVIRONMENT = ['SITE_URL', 'ORIGIN', 'TIME_ZONE'];
/**
 * What `astro sync` writes from the content that is bundled into the server, not read from
 * the store: modules for images and other files a document imports. If they change, a
 * rebuild must bundle again.
 */
export const CONTENT_MODULES = ['.astro/content-assets.mjs', '.astro/content-modules.mjs'];

function* filesUnder(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    yield* filesUnder(join(path, entry.name));
  }
}

function digestOf(paths) {
  const hash = createHash('sha256');
  for (const path of paths) {
    for (const file of filesUnder(path)) {
      hash.update(`${file}\0`);
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/** The fingerprint of the code, configuration and environment, and of the installed Astro and Node. */
export function codeFingerprint() {
  const astro = JSON.parse(readFileSync(join('node_modules', 'astro', 'package.json'), 'utf8')).version;
  const environment = ENVIRONMENT.map((name) => `${name}=${process.env[name] ?? ''}`).join('\n');
  return createHash('sha256').update(`${digestOf(CODE)}\n${environment}\nastro ${astro}\nnode ${process.version}`).digest('hex');
}

/** The fingerprint of the content modules `astro sync` wrote (CONTENT_MODULES). */
export function contentModulesFingerprint() {
  return digestOf(CONTENT_MODULES);
}

/** The record of the last complete build, or undefined. */
export function readBuildInputs() {
  try {
    return JSON.parse(readFileSync(BUILD_INPUTS_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}
