import type { Frontmatter } from './frontmatter.ts';

/**
 * A portal item's language version as a content file: YAML frontmatter (keys in the
 * order given, strings double-quoted so any text survives) and the markdown body. Used by
 * `qala content export` and by the history's diffs, so both read like the files.
 */
export function toMarkdownFile(data: Frontmatter, body: string): string {
  const lines = ['---'];
  for (const [key, value] of Object.entries(data)) lines.push(...yamlEntry(key, value, ''));
  lines.push('---', '', body.trim(), '');
  return lines.join('\n');
}

function scalar(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(String(value));
}

function yamlEntry(key: string, value: unknown, indent: string): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.length === 0 ? [`${indent}${key}: []`] : [`${indent}${key}:`, ...value.map((entry) => `${indent}  - ${scalar(entry)}`)];
  if (typeof value === 'object' && !(value instanceof Date)) {
    return [`${indent}${key}:`, ...Object.entries(value as Record<string, unknown>).flatMap(([inner, innerValue]) => yamlEntry(inner, innerValue, `${indent}  `))];
  }
  return [`${indent}${key}: ${scalar(value)}`];
}
