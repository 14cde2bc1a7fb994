import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    // HTTP and browser tests each start the built server; argon2 hashing is slow on purpose.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two test files at a time keeps servers and chromium from starving each other.
    maxWorkers: 2,
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
  },
});
