// A devnet restarted with a history prints no MaxListenersExceededWarning (issue 17 item 8). Its full node
// starts every stored transaction's torrent at once (hot seeds), and every torrent of the process
// listens on the one pooled WebSocket bittorrent-tracker's client keeps per tracker URL; with ten or more
// transactions Node warned "11 connect listeners added to [Socket]" at each start (seen on `npm start`
// after tabs had been paid by the faucet). The listeners follow the torrents: the test checks that the
// count on that socket is one 'data' listener per torrent, and that no warning is printed.
import WebSocketTracker from 'bittorrent-tracker/websocket-tracker';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startDevnet, type RunningDevnet } from '../../server/startDevnet.ts';
import { pollFor } from '../support/pollFor.ts';
import { pay, personNamed } from '../support/testNetwork.ts';
import { makeTempDir, writeTinyDist, type TempDir } from './tempDir.ts';

const PAYMENTS = 12;

let temp: TempDir;
let dist: string;
let running: RunningDevnet | undefined;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

beforeAll(async () => {
  temp = await makeTempDir();
  dist = await writeTinyDist(join(temp.path, 'dist'));
  process.on('warning', onWarning);
});

afterEach(async () => {
  await running?.close();
  running = undefined;
});

afterAll(async () => {
  process.off('warning', onWarning);
  await temp?.remove();
});

const start = async (): Promise<RunningDevnet> =>
  (running = await startDevnet({
    node: true,
    port: 0,
    trackerPort: 0,
    dataDir: join(temp.path, 'data'),
    distDir: dist,
    log: () => {},
  }));

it(`restarts a devnet whose node holds ${PAYMENTS} payments without a MaxListenersExceededWarning`, async () => {
  // First run: the payments reach the node's ledger (a chain from the genesis, as tabs would make).
  const first = await start();
  const people = Array.from({ length: PAYMENTS + 1 }, (_, i) => personNamed(`restart-${i}`));
  const lines: Uint8Array[] = [];
  let prev = first.devnet.genesis.id;
  for (let i = 0; i < PAYMENTS; i++) {
    const from = i === 0 ? first.devnet.owner : people[i - 1]!;
    const tx = pay(from, people[i]!, 100_000 - i * 1000, prev, Date.now() + i);
    lines.push(tx.bytes);
    prev = tx.id;
  }
  expect(await first.node!.importLines(lines)).toBe(PAYMENTS);
  await first.close();

  // Restart: every payment's torrent and the swarm announce on the node's pooled tracker socket.
  warnings.length = 0;
  const second = await start();
  expect((await second.node!.status()).hotTorrents).toBe(PAYMENTS);
  const url = second.trackerUrls[0]!;
  const socket = () => WebSocketTracker._socketPool[url];
  await pollFor(
    'every torrent listens on the pooled socket',
    () => socket()?.listenerCount('data') === PAYMENTS + 1,
    30_000,
  );
  await pollFor(
    'the socket connects',
    () => (socket() as { connected?: boolean }).connected === true,
    30_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 200)); // a warning is emitted on a later tick
  const listenerWarnings = warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
  expect(listenerWarnings.map((w) => w.message)).toEqual([]);
  // Bounded by the torrents: one 'data' listener each, 'connect' ones gone once connected.
  expect(socket()!.listenerCount('data')).toBe(PAYMENTS + 1);
  expect(socket()!.listenerCount('connect')).toBe(0);
}, 120_000);
