// Devnets for server tests: each test gets a fresh temporary folder (devnet data in `data/`, a tiny
// built app in `dist/`), and every devnet it started is closed and the folder removed after it.
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startDevnet, type DevnetOptions, type RunningDevnet } from '../../server/startDevnet.ts';
import { makeTempDir, writeTinyDist, type TempDir } from './tempDir.ts';

export interface TestDevnets {
  /** The current test's devnet data folder. */
  readonly dataDir: string;
  /** Starts a devnet on ports the OS picks, on the current test's folders. */
  start(options?: DevnetOptions): Promise<RunningDevnet>;
}

export function useTestDevnets(): TestDevnets {
  let temp: TempDir;
  const running: RunningDevnet[] = [];
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.close()));
    await temp.remove();
  });
  return {
    get dataDir() {
      return join(temp.path, 'data');
    },
    async start(options = {}) {
      const devnet = await startDevnet({
        port: 0,
        trackerPort: 0,
        host: '127.0.0.1',
        dataDir: join(temp.path, 'data'),
        distDir: await writeTinyDist(join(temp.path, 'dist')),
        log: () => {},
        ...options,
      });
      running.push(devnet);
      return devnet;
    },
  };
}
