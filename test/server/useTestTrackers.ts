// Trackers for server tests: each test gets a fresh data folder; every tracker it started and every
// socket it opened are closed after it, and the folder removed.
import { afterEach, beforeEach } from 'vitest';
import { startTracker, type Tracker, type TrackerOptions } from '../../server/trackerServer.ts';
import { makeTempDir, type TempDir } from './tempDir.ts';
import { openSocket, type TestSocket } from './wsClient.ts';

export interface TestTrackers {
  /** The current test's data folder. */
  readonly dataDir: string;
  /** Starts a tracker on 127.0.0.1, a port the OS picks, on the current test's folder. */
  start(options?: Partial<TrackerOptions>): Promise<Tracker>;
  /** A raw WebSocket to the tracker, from `localAddress` (any of 127.0.0.0/8) if given. */
  socket(t: Tracker, localAddress?: string): Promise<TestSocket>;
}

export function useTestTrackers(): TestTrackers {
  let data: TempDir;
  const running: Tracker[] = [];
  const sockets: TestSocket[] = [];
  beforeEach(async () => {
    data = await makeTempDir();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.socket.terminate();
    await Promise.all(running.splice(0).map((t) => t.close()));
    await data.remove();
  });
  return {
    get dataDir() {
      return data.path;
    },
    async start(options = {}) {
      const started = await startTracker({
        host: '127.0.0.1',
        port: 0,
        dataDir: data.path,
        log: () => {},
        ...options,
      });
      running.push(started);
      return started;
    },
    async socket(t, localAddress) {
      const s = await openSocket(t.wsUrl, localAddress);
      sockets.push(s);
      return s;
    },
  };
}
