import { defineConfig } from 'vitest/config';

// Suites run real ffmpeg, real HTTP servers and a real browser: generous timeouts, and at most
// two files at once because these machines have two cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    reporters: ['default'],
  },
});
