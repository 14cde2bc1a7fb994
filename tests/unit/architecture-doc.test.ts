import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DOC = 'docs/ARCHITECTURE.md';

/** Every `path/like/this.ts` or `folder/` the document names in backticks. */
function namedPaths(markdown: string): string[] {
  const paths = new Set<string>();
  for (const [, inner] of markdown.matchAll(/`([^`\s]+)`/g)) {
    const path = inner!.replace(/[,.;:]$/, '');
    if (!/^(src|db|tests|docs|content|scripts)\//.test(path)) continue;
    // Placeholders such as `src/server/<domain>/` or `NNNN_<name>.ts` name no one file.
    if (/[<>{}*]|NNNN/.test(path)) continue;
    paths.add(path);
  }
  return [...paths];
}

describe('docs/ARCHITECTURE.md is true to the code', () => {
  const paths = namedPaths(readFileSync(DOC, 'utf8'));

  it('names files and folders', () => {
    expect(paths.length).toBeGreaterThan(30);
  });

  it.each(paths)('%s exists', (path) => {
    expect(existsSync(path)).toBe(true);
  });

  it('is linked from the README, which points nowhere outside the repository', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('docs/ARCHITECTURE.md');
    expect(readme).not.toMatch(/\]\(\.\.\//);
  });
});
