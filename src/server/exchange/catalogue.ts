/**
 * The exchange's vocabulary and limits live in src/lib/exchange/catalogue.ts (pure, so
 * the list's query parser can use them). This re-export only keeps code written in
 * parallel with that move compiling (pages/[lang]/exchange/index.astro); delete it
 * once nothing imports this path.
 */
export * from '../../lib/exchange/catalogue.ts';
