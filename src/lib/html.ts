const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const UNSAFE = /[&<>"']/;

/** Text made safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  // Most texts (names, numbers, labels) need nothing: testing is half the cost of replacing.
  return UNSAFE.test(text) ? text.replace(/[&<>"']/g, (character) => ENTITIES[character]!) : text;
}

/** One choice of a select: what the form sends and what the reader sees. */
export interface Choice {
  value: string;
  label: string;
}

/**
 * `<option>` elements as one HTML string. Long lists (a thousand towns) render many
 * times faster as one string than as one Astro expression per option.
 */
export function optionsHtml(options: readonly Choice[], selected: string | undefined): string {
  return options
    .map((option) => `<option value="${escapeHtml(option.value)}"${option.value === selected ? ' selected' : ''}>${escapeHtml(option.label)}</option>`)
    .join('');
}
