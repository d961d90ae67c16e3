// A Vite dev server for browser tests, on 127.0.0.1 and a port the OS picks. It serves the project root
// with the project's vite.config.ts, so test pages (test/browser/pages/*.html) load src/ and workers
// exactly as the app does; a page is opened by its path, e.g. `${origin}/test/browser/pages/x.html`.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, mergeConfig, type InlineConfig } from 'vite';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ViteHarness {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Starts the dev server. Test runs differ from `npm run dev` in three ways, each to keep runs
 * independent and deterministic: no dependency discovery (a discovery mid-test re-optimizes and
 * reloads the page; the pages import only ES modules, which Vite serves as they are), a dependency
 * cache of its own (test files run in parallel, and another engineer's dev server may share
 * node_modules/.vite), and no file watcher or HMR socket. `overrides` is merged last, e.g.
 * `{ optimizeDeps: { include: ['some-cjs-package'] } }` for a page that needs a CommonJS dependency.
 */
export async function startViteHarness(overrides: InlineConfig = {}): Promise<ViteHarness> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'torrenttx-vite-'));
  const defaults: InlineConfig = {
    configFile: join(PROJECT_ROOT, 'vite.config.ts'),
    root: PROJECT_ROOT,
    cacheDir,
    logLevel: 'warn',
    clearScreen: false,
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, strictPort: true, ws: false, watch: null },
  };
  const server = await createServer(mergeConfig(defaults, overrides));
  try {
    await server.listen();
  } catch (err) {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    throw err;
  }
  const { port } = server.httpServer!.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
