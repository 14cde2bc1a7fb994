import remarkSmartypants from 'remark-smartypants';

interface MarkdownNode {
  type: string;
  value?: unknown;
  children?: MarkdownNode[];
}

/**
 * What SmartyPants can change: straight quotes and backticks (curled), `--` (a dash), and
 * dots with or without spaces between them (an ellipsis). Text without any of these
 * comes out of it exactly as it went in.
 */
const MAY_CHANGE = /["'`]|--|\.\s*\./;

function textOf(node: MarkdownNode, parts: string[]): string[] {
  if (node.type === 'text' && typeof node.value === 'string') parts.push(node.value);
  for (const child of node.children ?? []) textOf(child, parts);
  return parts;
}

/**
 * Astro's SmartyPants (typographic quotes, dashes and ellipses), run only on documents
 * that have something for it to change. It parses every paragraph into sentences and
 * words, which was the largest single cost of a cold build (~15% of the CPU of building
 * 2,000 documents, README "Build speed"); Kazakh and Russian texts, written with «» and
 * real dashes, mostly have nothing for it. The output is the same as with
 * `smartypants: true` (tests/unit/smartypants.test.ts renders every content file both ways).
 */
export function remarkSmartypantsWhereNeeded() {
  // The plugin is an arrow function returning a one-argument transformer (remark-smartypants 3).
  const smartypants = (remarkSmartypants as unknown as () => (tree: MarkdownNode) => void)();
  return (tree: MarkdownNode) => {
    // Joined without separators, so a quote or dash split across inline nodes still counts.
    if (MAY_CHANGE.test(textOf(tree, []).join(''))) smartypants(tree);
  };
}
