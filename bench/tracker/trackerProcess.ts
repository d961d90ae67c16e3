// The devnet under test for `npm run bench:tracker`, in a process of its own so that its memory is
// measured alone. Prints {"appUrl","wsUrl"} as one line once listening; answers the parent's 'stats'
// message with its memory and the tracker's counts; 'close' closes it and exits.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevnet } from '../../server/startDevnet.ts';
import { TRACKER_RECORD_FILE } from '../../server/trackerRecord.ts';

export interface TrackerStats {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly recordEntries: number;
  readonly recordFileBytes: number;
  readonly swarms: number;
}

const dataDir = await mkdtemp(join(tmpdir(), 'ttx-bench-tracker-'));
const devnet = await startDevnet({ port: 0, trackerPort: 0, dataDir, distDir: dataDir, log: () => {} });

process.on('message', async (message: string) => {
  if (message === 'stats') {
    await devnet.tracker.record.flush();
    const { stat } = await import('node:fs/promises');
    const file = await stat(join(dataDir, TRACKER_RECORD_FILE)).catch(() => ({ size: 0 }));
    global.gc?.();
    const stats: TrackerStats = {
      rssBytes: process.memoryUsage().rss,
      heapUsedBytes: process.memoryUsage().heapUsed,
      recordEntries: devnet.tracker.record.size,
      recordFileBytes: file.size,
      swarms: devnet.tracker.countSwarms(),
    };
    process.send!(stats);
  } else if (message === 'close') {
    await devnet.close();
    process.exit(0);
  }
});
process.send!({ appUrl: devnet.appUrl, wsUrl: devnet.tracker.wsUrl });
