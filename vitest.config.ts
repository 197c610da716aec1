import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    // two cores: keep parallelism modest so spawn-heavy suites do not starve each other
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { NO_COLOR: '1', KINSHIP_REFLECT_TODAY: '2026-01-15' },
  },
});
