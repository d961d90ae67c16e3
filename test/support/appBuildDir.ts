// Vitest's global setup: one folder per run for the app the end-to-end tests serve (buildApp.ts builds it
// there once, on first use, for every test file and worker of the run), removed when the run ends. Each
// file building its own copy cost ~19 builds of 5–12 s each per CI run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder for the built app (see buildApp.ts). */
    appBuildDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'torrenttx-dist-'));
  project.provide('appBuildDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
