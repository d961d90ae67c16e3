// Builds the app once per test run into a temporary folder (appBuildDir.ts, Vitest's global setup), so
// end-to-end tests run the code as it is now (not whatever dist/ holds) and never touch the user's dist/.
// Test files in other workers build at the same time: the first to create the lock folder builds, and
// the others wait for its verdict. The served app is only read (server/serveApp.ts), so one copy serves
// every test.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { inject } from 'vitest';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** A build on a loaded 2-core machine took up to ~40 s; a waiter gives up well after. */
const WAIT_MS = 300_000;
const POLL_MS = 200;

let built: Promise<string> | undefined;

export function buildApp(): Promise<string> {
  built ??= buildOnce(inject('appBuildDir'));
  return built;
}

/** Writes the verdict whole or not at all: a waiter never reads half of it. */
function say(verdict: string, text: string): void {
  writeFileSync(`${verdict}.part`, text);
  renameSync(`${verdict}.part`, verdict);
}

async function buildOnce(root: string): Promise<string> {
  const outDir = join(root, 'app');
  const verdict = join(root, 'verdict');
  let builder = true;
  try {
    mkdirSync(join(root, 'lock'));
  } catch {
    builder = false;
  }
  if (builder) {
    try {
      await build({
        configFile: join(PROJECT_ROOT, 'vite.config.ts'),
        root: PROJECT_ROOT,
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true },
      });
      say(verdict, 'built');
    } catch (err) {
      say(verdict, `failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    return outDir;
  }
  const deadline = performance.now() + WAIT_MS;
  while (!existsSync(verdict)) {
    if (performance.now() > deadline) throw new Error(`the app's build in ${root} did not finish`);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  const said = readFileSync(verdict, 'utf8');
  if (said !== 'built') throw new Error(`the app's build failed in another test file: ${said}`);
  return outDir;
}
