import type { Language } from '~/i18n/index.ts';
import { numberFormat } from '~/lib/format.ts';
import type { Indicator } from './catalogue.ts';

/** A value with the indicator's decimals in the reader's language, e.g. "51 378,0". */
export function formatIndicatorValue(value: number, indicator: Pick<Indicator, 'decimals'>, lang: Language, options: { signed?: boolean } = {}): string {
  // A dashboard formats hundreds of values: the formats are kept, not built per value.
  return numberFormat(lang, {
    minimumFractionDigits: indicator.decimals,
    maximumFractionDigits: indicator.decimals,
    signDisplay: options.signed ? 'exceptZero' : 'auto',
  }).format(value);
}

/** A tick label: as few decimals as the tick needs, at most the indicator's. */
export function formatTick(value: number, indicator: Pick<Indicator, 'decimals'>, lang: Language): string {
  return numberFormat(lang, { maximumFractionDigits: indicator.decimals }).format(value);
}
