// Builds the app once per test file into a temporary folder, so end-to-end tests run the code as it is
// now (not whatever dist/ holds) and never touch the user's dist/.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export async function buildApp(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'torrenttx-dist-'));
  // Removed when the test process ends, pass or fail.
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  await build({
    configFile: join(PROJECT_ROOT, 'vite.config.ts'),
    root: PROJECT_ROOT,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
