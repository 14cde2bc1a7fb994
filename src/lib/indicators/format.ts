import type { Language } from '~/i18n/index.ts';
import { numberFormat } from '~/lib/format.ts';
import type { Indicator } from './catalogue.ts';

/** An indicator's three number formats in one language: its values, signed changes and tick labels. */
interface IndicatorFormats {
  value: Intl.NumberFormat;
  signed: Intl.NumberFormat;
  tick: Intl.NumberFormat;
}

// A dashboard formats hundreds of values: the formats are kept, not built per value,
// and found by language and decimals (a handful of keys) without building the longer
// key of `numberFormat` for every value.
const kept = new Map<string, IndicatorFormats>();

function formatsOf(decimals: number, lang: Language): IndicatorFormats {
  const key = `${lang}${decimals}`;
  let formats = kept.get(key);
  if (!formats) {
    const fixed = { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
    formats = {
      value: numberFormat(lang, { ...fixed, signDisplay: 'auto' }),
      signed: numberFormat(lang, { ...fixed, signDisplay: 'exceptZero' }),
      tick: numberFormat(lang, { maximumFractionDigits: decimals }),
    };
    kept.set(key, formats);
  }
  return formats;
}

/** A value with the indicator's decimals in the reader's language, e.g. "51 378,0". */
export function formatIndicatorValue(value: number, indicator: Pick<Indicator, 'decimals'>, lang: Language, options: { signed?: boolean } = {}): string {
  const formats = formatsOf(indicator.decimals, lang);
  return (options.signed ? formats.signed : formats.value).format(value);
}

/** A tick label: as few decimals as the tick needs, at most the indicator's. */
export function formatTick(value: number, indicator: Pick<Indicator, 'decimals'>, lang: Language): string {
  return formatsOf(indicator.decimals, lang).tick.format(value);
}
