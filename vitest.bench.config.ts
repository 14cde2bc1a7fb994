import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Benchmarks print numbers; they assert nothing about speed and are not part of `npm test`. */
export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['tests/bench/**/*.measure.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
  },
});
