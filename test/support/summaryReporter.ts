// Vitest reporter that ends the run with one plain, greppable line for CI logs and scripts:
// `tests: N passed, M failed` (`, K skipped` when some were). It runs after the default reporter.
import type { SerializedError } from 'vitest';
import type { Reporter, TestModule, TestSuite, Vitest } from 'vitest/node';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Errors outside any test (a module that fails to import, a throwing beforeAll) fail the run but belong
 * to no test; each module or suite with such errors counts as one failure, so the line never reads
 * "0 failed" for a run that failed.
 */
function countModule(module: TestModule, counts: Counts): void {
  for (const test of module.children.allTests()) {
    const { state } = test.result();
    if (state === 'passed') counts.passed++;
    else if (state === 'failed') counts.failed++;
    else counts.skipped++; // skipped, todo, or never run because the run was interrupted
  }
  const suites: (TestModule | TestSuite)[] = [module, ...module.children.allSuites()];
  counts.failed += suites.filter((suite) => suite.errors().length > 0).length;
}

export function summaryLine(counts: Counts): string {
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  return `tests: ${counts.passed} passed, ${counts.failed} failed${skipped}`;
}

export class SummaryReporter implements Reporter {
  #log: (line: string) => void = (line) => console.log(line);

  onInit(vitest: Vitest): void {
    this.#log = (line) => vitest.logger.log(line);
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const counts: Counts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
    for (const module of testModules) countModule(module, counts);
    this.#log(summaryLine(counts));
  }
}
