import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // The machine has 2 cores; DuckDB and generation tests are CPU-heavy.
    maxWorkers: 2,
    minWorkers: 1,
    // Hang guards, not performance limits (those are measured in `pnpm bench`): up to 8 engineers share
    // the 2 cores, and a CLI-heavy test can take minutes when they all run suites at once.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    env: { TZ: 'UTC', NO_COLOR: '1' },
  },
});
