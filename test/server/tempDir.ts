// Temporary folders for server tests: a data folder per test, and a tiny stand-in for dist/ so that the
// app server can be tested without a Vite build.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix = 'torrenttx-server-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export const TINY_INDEX =
  '<!doctype html><title>TorrentTX</title><script type="module" src="/assets/app-1a2b3c.js"></script>';

/** Writes a dist/-like folder: index.html, a hashed asset, sw.js, a worker and the manifest. */
export async function writeTinyDist(dir: string): Promise<string> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), TINY_INDEX);
  await writeFile(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("app");');
  await writeFile(join(dir, 'assets', 'ledger.worker-9f8e7d.js'), 'self.onmessage = () => {};');
  await writeFile(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(dir, 'manifest.webmanifest'), '{"name":"TorrentTX"}');
  return dir;
}
