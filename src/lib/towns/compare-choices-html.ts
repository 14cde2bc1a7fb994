import type { Language } from '~/i18n/index.ts';
import { textOrder } from '~/lib/format.ts';
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
 * The compare form lists every member town (1,000 at national scale): sorting them by the
 * language's collation and rendering each checkbox as Astro expressions was most of a view's
 * CPU. The choices are kept per list of towns and language: the list is the same frozen array
 * while towns are unchanged (src/server/towns/towns.ts `memberTownList`, kept until the
 * `towns` counter moves), so a new list brings new choices. Only the ticks are per request.
 */
const choicesOf = keptPerObject<readonly ComparableTown[], Language, readonly TownChoice[]>();

/** Every town as a checkbox in a list item, in the language's order, the chosen ones ticked. */
export function townChoicesHtml(towns: readonly ComparableTown[], lang: Language, chosen: readonly string[]): string {
  const choices = choicesOf(towns, lang, () => {
    const order = textOrder(lang);
    return [...towns]
      .sort((a, b) => order(a.name[lang], b.name[lang]))
      .map((town) => ({
        slug: town.slug,
        start: `<li><label><input type="checkbox" name="towns" value="${escapeHtml(town.slug)}"`,
        end: `> ${escapeHtml(town.name[lang])}</label></li>`,
      }));
  });
  const ticked = new Set(chosen);
  let html = '';
  for (const choice of choices) html += choice.start + (ticked.has(choice.slug) ? ' checked' : '') + choice.end;
  return html;
}
