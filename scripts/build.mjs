// `npm run build`: a content-only rebuild when the last complete build in dist/ was made
// from the same code, configuration and environment (scripts/fast-rebuild.mjs), else the
// full build. QALA_FULL_BUILD=1 or `--full` (`npm run build:full`) always builds in full.
// It says which path ran and why.
import { ASTRO, CONTENT_SYNC, fastRebuild, run } from './fast-rebuild.mjs';

function fullBuild(reason) {
  console.log(`[qala build] full build: ${reason}`);
  run(process.execPath, ['scripts/clear-dist.mjs']);
  // Synced in its own process first, with the store written whole once it is synced: Astro
  // 5.18 can report the store synced while it is still being written, and leave it without
  // the last changes (scripts/content-sync.mjs; README: Build speed).
  run(process.execPath, [CONTENT_SYNC]);
  run(ASTRO[0], [ASTRO[1], 'build']);
  run(process.execPath, ['scripts/build-entry.mjs']);
}

const started = performance.now();
if (process.env.QALA_FULL_BUILD === '1' || process.argv.includes('--full')) {
  fullBuild(process.argv.includes('--full') ? '--full' : 'QALA_FULL_BUILD=1');
} else {
  const result = await fastRebuild().catch((error) => ({ fast: false, reason: `the content-only rebuild failed: ${error.stack ?? error}` }));
  if (result.fast) {
    const { rendered, removed, compression } = result;
    console.log(
      `[qala build] content-only rebuild: ${rendered} page(s) rendered, ${removed} removed; ` +
        `${compression.compressed} file(s) compressed, ${compression.reused} from the cache, ${compression.untouched ?? 0} untouched`,
    );
  } else {
    fullBuild(result.reason);
  }
}
console.log(`[qala build] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
// The last build's server bundle, loaded to render pages, may keep timers alive.
process.exit(0);
