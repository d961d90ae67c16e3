// `torrenttx tracker`: the TorrentTX tracker alone (server/trackerServer.ts: WebSocket for browsers and
// HTTP for desktop clients on one port, bounded, with a persisted record of every infohash announced),
// for anyone who runs a tracker. Runs until SIGINT or SIGTERM, then writes the record. `--trusted-proxy
// ADDR` (repeatable; an address or CIDR block) names a reverse proxy whose forwarded client address the
// per-address limits believe (server/trustedProxies.ts); `--known-node ADDR` (repeatable) a full node of
// the operator's that may record its whole history (server/trackerServer.ts, KnownNodeLimits).
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startTracker } from '../../server/trackerServer.ts';
import { addressListProblem } from '../../server/addressList.ts';
import { parseInteger } from './parseNumbers.ts';
import { UsageError } from './usageError.ts';
import { userDataDir } from './userDataDir.ts';

export const TRACKER_DEFAULT_PORT = 8000;

export async function trackerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'trusted-proxy': { type: 'string', multiple: true },
      'known-node': { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 0) throw new UsageError(`tracker takes no ${JSON.stringify(positionals[0])}`);
  const port = values.port === undefined ? TRACKER_DEFAULT_PORT : parseInteger('port', values.port, 0, 65535);
  if (values.host === '') throw new UsageError('--host must not be empty');
  const trustedProxies = values['trusted-proxy'] ?? [];
  const knownNodes = values['known-node'] ?? [];
  const problem =
    addressListProblem('--trusted-proxy', trustedProxies) ?? addressListProblem('--known-node', knownNodes);
  if (problem !== undefined) throw new UsageError(problem);
  const dataDir = values.data ?? userDataDir('tracker');
  mkdirSync(dataDir, { recursive: true });

  // Heard before the listening line, so a signal right after it still closes cleanly.
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  let tracker;
  try {
    tracker = await startTracker({
      host: values.host ?? '127.0.0.1',
      port,
      dataDir,
      trustedProxies,
      knownNodes,
      log: (line) => console.log(line),
      portFlag: '--port',
    });
  } catch (err) {
    if ((err as Error).name === 'ListenError') throw new UsageError((err as Error).message);
    throw err;
  }
  const signal = await signalled;
  console.log(`${signal}: closing the tracker`);
  await tracker.close();
  process.exit(0);
}
