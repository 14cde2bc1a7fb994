// The build at scale: generates N single-language resources (valid for Qala's schemas),
// builds them cold with Qala (a copy of this project in a temporary folder, the
// generated files added to content/resources/) and with a bare Astro site plus Pagefind
// (generated there too, using the installed astro and pagefind), then edits one document
// and times each rebuild. Prints wall time, CPU time (user + system of every process of
// the build: on a machine other work shares, the steadier of the two), peak memory (the sum
// of the resident memory of every process of the build, sampled) and the ratios. Not part
// of npm test.
//
// Run: node tests/bench/build.measure.mjs [--docs 10000] [--only qala|bare] [--keep]
//   --docs N   how many documents (default 10,000)
//   --only X   builds only Qala or only the bare site
//   --keep     leaves the temporary folders (their paths are printed)
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: { docs: { type: 'string', default: '10000' }, only: { type: 'string' }, keep: { type: 'boolean', default: false } },
});
const DOCS = Number(options.docs);
if (!Number.isInteger(DOCS) || DOCS < 1) throw new Error('--docs takes a positive whole number');
const project = resolve(import.meta.dirname, '..', '..');
const LANGUAGES = ['kk', 'ru', 'en'];

const taxonomy = (name) => JSON.parse(readFileSync(join(project, 'content', 'taxonomies', `${name}.json`), 'utf8')).map((term) => term.id);
const TOPICS = taxonomy('topics');
const TYPES = taxonomy('resource-types');

/** A deterministic pseudo-random sequence, so every run builds the same documents. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = {
  kk: 'қала әкімдік бюджет тұрғындар жоспар кәсіпорын жастар су жылу желі жөндеу көрсеткіш бағдарлама қолдау'.split(' '),
  ru: 'город акимат бюджет жители план предприятие молодёжь вода тепло сеть ремонт показатель программа поддержка'.split(' '),
  en: 'town akimat budget residents plan enterprise youth water heating network repair indicator programme support'.split(' '),
};

/** One resource in one language: front matter Qala's schema accepts, and a body of ~700 words in five sections. */
function documentText(index) {
  const next = random(index + 1);
  const lang = LANGUAGES[index % LANGUAGES.length];
  const words = WORDS[lang];
  const sentence = (length) => {
    const text = Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(' ');
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  };
  const topics = [...new Set([TOPICS[Math.floor(next() * TOPICS.length)], TOPICS[Math.floor(next() * TOPICS.length)]])];
  const day = new Date(Date.UTC(2015, 0, 1) + Math.floor(next() * 3650) * 86_400_000).toISOString().slice(0, 10);
  const sections = Array.from({ length: 5 }, (_, section) => {
    const paragraphs = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => sentence(8 + Math.floor(next() * 6))).join(' '));
    return `## ${sentence(4).slice(0, -1)} ${section + 1}\n\n${paragraphs.join('\n\n')}\n\n- ${sentence(5)}\n- ${sentence(6)}\n`;
  });
  const frontMatter = [
    '---',
    `title: ${JSON.stringify(`${sentence(5).slice(0, -1)} ${index}`)}`,
    `summary: ${JSON.stringify(`${sentence(12)} ${sentence(10)}`)}`,
    `date: ${day}`,
    `topics: [${topics.join(', ')}]`,
    `type: ${TYPES[index % TYPES.length]}`,
    `authors: ["Bench author ${index % 50}"]`,
    '---',
  ];
  return { lang, slug: `bench-${String(index).padStart(5, '0')}`, text: `${frontMatter.join('\n')}\n\n${sections.join('\n')}` };
}

function writeDocuments(contentRoot) {
  for (const lang of LANGUAGES) mkdirSync(join(contentRoot, lang), { recursive: true });
  for (let index = 0; index < DOCS; index += 1) {
    const { lang, slug, text } = documentText(index);
    writeFileSync(join(contentRoot, lang, `${slug}.md`), text);
  }
}

/** The one document the rebuild measures: a sentence added at the end. Returns the document and the sentence. */
function editOneDocument(contentRoot) {
  const { lang, slug } = documentText(Math.floor(DOCS / 2));
  const sentence = `Edited at ${new Date().toISOString()}.`;
  appendFileSync(join(contentRoot, lang, `${slug}.md`), `\n${sentence}\n`);
  return { lang, slug, sentence };
}

/** node_modules as links to this project's packages, so Astro's and Vite's caches stay in the copy. */
function linkPackages(root) {
  const modules = join(root, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(project, 'node_modules'))) {
    if (['.astro', '.vite', '.cache'].includes(name)) continue;
    symlinkSync(join(project, 'node_modules', name), join(modules, name));
  }
}

function qalaCopy(root) {
  for (const name of ['src', 'content', 'public', 'scripts', 'db', 'astro.config.mjs', 'package.json', 'tsconfig.json']) {
    cpSync(join(project, name), join(root, name), { recursive: true });
  }
  linkPackages(root);
  writeDocuments(join(root, 'content', 'resources'));
  return { root, contentRoot: join(root, 'content', 'resources'), command: ['npm', ['run', 'build']], page: (lang, slug) => join(root, 'dist', 'client', lang, 'resources', slug, 'index.html') };
}

function bareSite(root) {
  mkdirSync(join(root, 'src', 'pages', '[lang]', 'resources'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bare', private: true, type: 'module' }));
  writeFileSync(join(root, 'astro.config.mjs'), "import { defineConfig } from 'astro/config';\nexport default defineConfig({ site: 'http://localhost:4321' });\n");
  writeFileSync(
    join(root, 'src', 'content.config.ts'),
    [
      "import { defineCollection, z } from 'astro:content';",
      "import { glob } from 'astro/loaders';",
      'const resources = defineCollection({',
      "  loader: glob({ base: './content/resources', pattern: '{kk,ru,en}/*.md' }),",
      '  schema: z.object({ title: z.string(), summary: z.string(), date: z.coerce.date(), topics: z.array(z.string()) }),',
      '});',
      'export const collections = { resources };',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'src', 'pages', '[lang]', 'resources', '[slug].astro'),
    [
      '---',
      "import { getCollection, render } from 'astro:content';",
      'export async function getStaticPaths() {',
      "  return (await getCollection('resources')).map((entry) => {",
      "    const [lang, slug] = entry.id.split('/');",
      '    return { params: { lang, slug }, props: { entry } };',
      '  });',
      '}',
      'const { entry } = Astro.props;',
      'const { Content } = await render(entry);',
      '---',
      '<html lang={Astro.params.lang}><head><meta charset="utf-8"><title>{entry.data.title}</title></head>',
      '<body><main data-pagefind-body><h1>{entry.data.title}</h1><p>{entry.data.summary}</p><Content /></main></body></html>',
    ].join('\n'),
  );
  linkPackages(root);
  writeDocuments(join(root, 'content', 'resources'));
  const script = "astro build && pagefind --site dist --output-subdir pagefind";
  return { root, contentRoot: join(root, 'content', 'resources'), page: (lang, slug) => join(root, 'dist', lang, 'resources', slug, 'index.html'), command: ['sh', ['-c', `export PATH=${join(project, 'node_modules', '.bin')}:$PATH; ${script}`]] };
}

/** The resident memory of every process in a process group, in bytes. */
function groupMemory(group) {
  let pages = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === group) pages += Number(fields[21]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return pages * 4096;
}

/** The CPU seconds of a shell's children, from the second line `times` prints ("0m12.5s 0m1.2s"). */
function childrenCpuSeconds(output) {
  const lines = [...output.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/gm)];
  const children = lines.at(-1);
  if (!children) return NaN;
  const [, userMinutes, userSeconds, systemMinutes, systemSeconds] = children.map(Number);
  return userMinutes * 60 + userSeconds + systemMinutes * 60 + systemSeconds;
}

/** Runs a build in its own process group; resolves with wall and CPU seconds and the peak of the group's memory. */
function timed(site, label) {
  const [command, args] = site.command;
  const started = performance.now();
  // A shell runs the build and then `times`: the CPU time of every process the build started.
  const child = spawn('sh', ['-c', '"$@"; status=$?; times; exit $status', 'sh', command, ...args], { cwd: site.root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, groupMemory(child.pid))), 250);
  return new Promise((done, fail) => {
    child.on('exit', (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      writeFileSync(join(site.root, `${label}.log`), output);
      if (code !== 0) fail(new Error(`${label} failed (exit ${code}); its output: ${join(site.root, `${label}.log`)}\n${output.slice(-3000)}`));
      else done({ seconds, cpu: childrenCpuSeconds(output), peak });
    });
  });
}

const sites = [];
const results = {};
const base = mkdtempSync(join(tmpdir(), 'qala-build-bench-'));
console.log(`${DOCS} documents, ${availableParallelism()} cores, load ${loadavg().map((value) => value.toFixed(1)).join(' ')}; in ${base}`);
try {
  for (const [name, make] of [['qala', qalaCopy], ['bare', bareSite]]) {
    if (options.only && options.only !== name) continue;
    const root = join(base, name);
    mkdirSync(root);
    const site = make(root);
    sites.push(site);
    const cold = await timed(site, `${name}-cold`);
    console.log(`${name}: cold ${cold.seconds.toFixed(1)} s (CPU ${cold.cpu.toFixed(1)} s), peak ${(cold.peak / 2 ** 20).toFixed(0)} MiB, load ${loadavg()[0].toFixed(1)}`);
    const edit = editOneDocument(site.contentRoot);
    const rebuild = await timed(site, `${name}-rebuild`);
    // A rebuild that leaves the edit out is not a rebuild (Astro's store saves can lose it: scripts/content-sync.mjs).
    if (!readFileSync(site.page(edit.lang, edit.slug), 'utf8').includes(edit.sentence)) {
      throw new Error(`${name}: after the rebuild, ${site.page(edit.lang, edit.slug)} does not have the edit ("${edit.sentence}")`);
    }
    console.log(
      `${name}: one document edited ${rebuild.seconds.toFixed(1)} s (${(rebuild.seconds / cold.seconds).toFixed(2)}× its cold build), ` +
        `CPU ${rebuild.cpu.toFixed(1)} s (${(rebuild.cpu / cold.cpu).toFixed(2)}× its cold build's), peak ${(rebuild.peak / 2 ** 20).toFixed(0)} MiB, load ${loadavg()[0].toFixed(1)}`,
    );
    if (existsSync(join(root, 'dist'))) results[name] = { cold, rebuild };
  }
  const { qala, bare } = results;
  if (qala && bare) {
    console.log('');
    console.log('| build | Qala | bare Astro + Pagefind | ratio |');
    console.log('|---|---|---|---|');
    console.log(`| ${DOCS} docs, cold | ${qala.cold.seconds.toFixed(0)} s | ${bare.cold.seconds.toFixed(0)} s | ${(qala.cold.seconds / bare.cold.seconds).toFixed(2)}× |`);
    console.log(`| ${DOCS} docs, one edited | ${qala.rebuild.seconds.toFixed(0)} s | ${bare.rebuild.seconds.toFixed(0)} s | ${(qala.rebuild.seconds / bare.rebuild.seconds).toFixed(2)}× |`);
    console.log(`| ${DOCS} docs, cold, CPU | ${qala.cold.cpu.toFixed(0)} s | ${bare.cold.cpu.toFixed(0)} s | ${(qala.cold.cpu / bare.cold.cpu).toFixed(2)}× |`);
    console.log(`| peak memory, cold | ${(qala.cold.peak / 2 ** 20).toFixed(0)} MiB | ${(bare.cold.peak / 2 ** 20).toFixed(0)} MiB | ${(qala.cold.peak / bare.cold.peak).toFixed(2)}× |`);
    console.log(`| Qala rebuild ÷ Qala cold | ${(qala.rebuild.seconds / qala.cold.seconds).toFixed(2)}× | | goal ≤ 0.3× |`);
    console.log(`| Qala rebuild ÷ Qala cold, CPU | ${(qala.rebuild.cpu / qala.cold.cpu).toFixed(2)}× | | |`);
  }
} finally {
  if (options.keep) console.log(`kept: ${base}`);
  else rmSync(base, { recursive: true, force: true });
}
