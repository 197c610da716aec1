import { defineConfig } from 'vitest/config';

/**
 * Tests that run the built binary as a process (end to end, in a pseudo-terminal, with crashes and
 * concurrent writers). `npm run test:unit` leaves them out: the rest — the pure core and the commands
 * run in-process — is the fast loop. `npm test` runs both.
 */
const END_TO_END = [
  'check-command',
  'cli-readonly',
  'completion',
  'concurrency',
  'crash',
  'drafts',
  'examples',
  'exe-smoke',
  'faults',
  'fifo-commands',
  'help',
  'human-output',
  'interview-plain',
  'interview-pty',
  'package',
  'readme',
  'startup-loads',
  'storage',
  'terminal-manners',
].map((name) => `tests/${name}.test.ts`);

export default defineConfig({
  test: {
    pool: 'forks',
    // two cores: keep parallelism modest so spawn-heavy suites do not starve each other
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // COLUMNS: text for people is wrapped to 80 columns in a pipe; the tests read messages for their
    // words, so they get them one per line. Wrapping itself is tested with COLUMNS unset
    // (tests/wrap.test.ts, tests/human-output.test.ts) and in pseudo-terminals.
    env: { NO_COLOR: '1', KINSHIP_REFLECT_TODAY: '2026-01-15', COLUMNS: '1000' },
    // builds first when dist/ is older than src/, so no test runs against a stale build
    globalSetup: ['tests/helpers/build-if-stale.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: END_TO_END } },
      { extends: true, test: { name: 'end-to-end', include: END_TO_END } },
    ],
  },
});
