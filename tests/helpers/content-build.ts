import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDirectory } from './database.ts';

/**
 * A real `astro build` of content files, at a fraction of the project's cost: a
 * temporary project whose content collections ARE the project's (src/content.config.ts
 * re-exported, so the same loaders and zod schemas accept or refuse each file) over a
 * copy of content/, with one page per wanted item rendering its title, its parsed data and
 * its markdown through Astro's own pipeline. The project's full build prerenders every
 * page of every item and bundles the server (minutes on a loaded machine); this builds
 * the items asked for.
 */
export interface ContentBuild {
  root: string;
  /** The copy of content/ the build reads: write or export into it before `build`. */
  contentDir: string;
  /** Builds; resolves with Astro's output, rejects with it when the build fails. */
  build: (wanted: string[]) => Promise<string>;
  /** The built page of `<collection>/<lang>/<slug>`. */
  pagePath: (collection: string, lang: string, slug: string) => string;
  remove: () => void;
}

export function contentBuild(): ContentBuild {
  const project = process.cwd();
  const dir = temporaryDirectory('qala-content-build-');
  const root = dir.path;
  cpSync(join(project, 'content'), join(root, 'content'), { recursive: true });
  // Packages resolve from the project's node_modules; Astro's caches stay in the temporary root.
  symlinkSync(join(project, 'node_modules'), join(root, 'node_modules'), 'dir');
  mkdirSync(join(root, 'src', 'pages', '[collection]', '[lang]'), { recursive: true });
  writeFileSync(join(root, 'src', 'content.config.ts'), `export { collections } from ${JSON.stringify(join(project, 'src', 'content.config.ts'))};\n`);
  writeFileSync(
    join(root, 'astro.config.mjs'),
    `import { defineConfig, passthroughImageService } from 'astro/config';
export default defineConfig({
  output: 'static',
  cacheDir: './.cache',
  image: { service: passthroughImageService() },
  vite: { resolve: { alias: { '~': ${JSON.stringify(join(project, 'src'))} } } },
});
`,
  );
  return {
    root,
    contentDir: join(root, 'content'),
    pagePath: (collection, lang, slug) => join(root, 'dist', collection, lang, slug, 'index.html'),
    remove: dir.remove,
    build: (wanted) => {
      writeFileSync(
        join(root, 'src', 'pages', '[collection]', '[lang]', '[slug].astro'),
        `---
import { getCollection, render } from 'astro:content';
export async function getStaticPaths() {
  const wanted = ${JSON.stringify(wanted)};
  const paths = [];
  for (const collection of ['resources', 'news', 'events', 'programmes']) {
    for (const entry of await getCollection(collection)) {
      const [lang, slug] = entry.id.split('/');
      if (wanted.includes(collection + '/' + slug)) paths.push({ params: { collection, lang, slug }, props: { entry } });
    }
  }
  return paths;
}
const { entry } = Astro.props;
const { Content } = await render(entry);
---
<html lang="en"><head><title>{entry.data.title}</title></head>
<body><h1>{entry.data.title}</h1><pre id="data">{JSON.stringify(entry.data)}</pre><main><Content /></main></body></html>
`,
      );
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(project, 'node_modules', 'astro', 'astro.js'), 'build', '--root', root], {
          cwd: root,
          env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`astro build failed (${code}):\n${output}`))));
      });
    },
  };
}
