// Unit and integration tests run in Node; `npm run test:unit`.
//
// Two groups, one after the other. Most files wait on networks, browsers and timers more than they
// compute, so two run at once. The attack tests assert the victim's CPU and the honest payments' delay
// (issue 16's bounds): they run afterwards, one at a time, so no other test's work counts as theirs.
import { configDefaults, defineConfig } from 'vitest/config';
import { SummaryReporter } from './test/support/summaryReporter.ts';

const ALONE = ['test/net/attacks*.test.ts', 'test/net/syncCpuAttack.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One build of the app per run for the end-to-end tests (test/support/buildApp.ts).
    globalSetup: ['test/support/appBuildDir.ts'],
    reporters: ['default', new SummaryReporter()],
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
