// Runs before `astro build`: moves the last build's dist/ aside at once and deletes it in a
// process of its own, instead of Astro emptying it file by file while the build waits
// (tens of thousands of files for 10,000 documents: minutes on a busy disk).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dist = 'dist';
if (existsSync(dist)) {
  const trash = join('node_modules', '.cache', 'qala', 'old-dist');
  mkdirSync(trash, { recursive: true });
  const aside = join(trash, `${Date.now()}-${process.pid}`);
  try {
    renameSync(dist, aside);
    // Everything in the trash folder goes, including what an interrupted build left there.
    spawn(process.execPath, ['-e', `require('node:fs').rmSync(${JSON.stringify(trash)}, { recursive: true, force: true })`], {
      detached: true,
      stdio: 'ignore',
    }).unref();
  } catch {
    // Another file system (or dist/ is in use): delete it here.
    rmSync(dist, { recursive: true, force: true });
  }
}
