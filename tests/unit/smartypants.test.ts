import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { remarkSmartypantsWhereNeeded } from '~/lib/markdown/smartypants.ts';

/** Markdown to HTML as Astro does it, with SmartyPants always or only where needed. */
function render(markdown: string, always: boolean): string {
  const processor = unified().use(remarkParse).use(remarkGfm);
  if (always) processor.use(remarkSmartypants);
  else processor.use(remarkSmartypantsWhereNeeded);
  return String(processor.use(remarkRehype, { allowDangerousHtml: true }).use(rehypeStringify, { allowDangerousHtml: true }).processSync(markdown));
}

function* markdownFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* markdownFiles(path);
    else if (entry.name.endsWith('.md')) yield path;
  }
}

describe('SmartyPants only where it changes something', () => {
  it('renders every content file exactly as SmartyPants always would', () => {
    const files = [...markdownFiles(join(process.cwd(), 'content'))];
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const body = readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
      expect(render(body, false), file).toBe(render(body, true));
    }
  });

  it.each([
    'He said "hello" to the town.',
    "The town's plan, the '80s and 'single' quotes.",
    "Before -- after, and a ``quoted'' phrase.",
    'Wait... and . . . then.',
    'A "**bold** quote" across inline nodes, and a dash split -*-* here.',
    'Жоспар «бюджет» — қала. Никаких кавычек и многоточий.',
    'Plain text with no quotes, dashes or dots in a row.',
  ])('renders %j the same', (markdown) => {
    expect(render(markdown, false)).toBe(render(markdown, true));
  });

  it('still curls quotes where there are some', () => {
    expect(render('He said "hello".', false)).toContain('“hello”');
  });
});
