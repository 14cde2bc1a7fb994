import type { Language } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';

/** A town as the compare form offers it. */
export interface ComparableTown {
  slug: string;
  name: Readonly<Record<Language, string>>;
}

interface TownChoice {
  slug: string;
  /** The checkbox up to where `checked` goes. */
  start: string;
  /** The rest of the choice. */
  end: string;
}

/*
 * The compare form lists every member town (1,000 at national scale): rendering each
 * checkbox as Astro expressions was most of a view's CPU. The choices are kept per ordered
 * list of towns (src/server/towns/towns.ts `townsInOrder`: the same frozen array per
 * language while towns are unchanged), so a new list brings new choices. Only the ticks
 * are per request.
 */
const choicesOf = keptPerObject<readonly ComparableTown[], Language, readonly TownChoice[]>();

/** Every town, already in the reader's order, as a checkbox in a list item, the chosen ones ticked. */
export function townChoicesHtml(ordered: readonly ComparableTown[], lang: Language, chosen: readonly string[]): string {
  const choices = choicesOf(ordered, lang, () =>
    ordered.map((town) => ({
      slug: town.slug,
      start: `<li><label><input type="checkbox" name="towns" value="${escapeHtml(town.slug)}"`,
      end: `> ${escapeHtml(town.name[lang])}</label></li>`,
    })),
  );
  const ticked = new Set(chosen);
  let html = '';
  for (const choice of choices) html += choice.start + (ticked.has(choice.slug) ? ' checked' : '') + choice.end;
  return html;
}
