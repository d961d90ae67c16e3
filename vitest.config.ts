// Unit and integration tests run in Node; `npm run test:unit`.
import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './test/support/summaryReporter.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
