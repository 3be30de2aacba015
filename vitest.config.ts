import { defineConfig } from 'vitest/config';
import LongestFirst from './test/helpers/longest-first';

// Suites run real ffmpeg, real HTTP servers and a real browser: generous timeouts. These machines
// have two cores, but most unit and CLI files spend their time waiting (on a mock gateway's task, a
// spawned CLI, a poll), so three of those run at once; the browser files then run on their own, so a
// page under test never shares the machine with ffmpeg renders of other suites. Three of them too:
// they wait on pages and polls even more (two at a time kept the cores about 40 % less busy than the
// unit files did under the same outside load).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    reporters: ['default'],
    // Longest files first, from test/durations.json where vitest has no cache (a clean clone).
    sequence: { sequencer: LongestFirst },
    // expect.poll waits on a condition (a video plays, a status appears): under load that can take
    // seconds, and a longer limit only ever delays a test that is failing anyway.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    projects: [
      // The CLI suites spawn bin/shotgraph.js: its bundle is built once, before any of them starts.
      {
        extends: true,
        test: {
          name: 'unit',
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          globalSetup: ['test/helpers/cli-bundle-setup.ts', 'test/helpers/user-cache-setup.ts'],
        },
      },
      // The browser suite runs against the production build, made once per run (and only when
      // an e2e file is among those run).
      {
        extends: true,
        test: {
          name: 'e2e',
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [
            'test/e2e/renderer-build.ts',
            'test/helpers/cli-bundle-setup.ts',
            'test/helpers/user-cache-setup.ts',
          ],
        },
      },
    ],
  },
});
