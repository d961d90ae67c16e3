// `torrenttx node`: runs a full node until SIGINT or SIGTERM (one line when online, a status line at most
// every STATUS_MS), after replaying an --import file; `torrenttx node export --data DIR` prints the
// accepted transactions parents first, in the `replay` format.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { acceptedParentsFirst } from '../ledger/acceptedParentsFirst.ts';
import { openFullNode, type FullNodeStatus } from '../node/openFullNode.ts';
import { MIN_MAX_CONNECTIONS } from '../node/rtcConnectionGate.ts';
import { SqliteLedgerStore } from '../storage/sqliteLedgerStore.ts';
import { parseInteger } from './parseNumbers.ts';
import { readNetwork } from './readNetwork.ts';
import { splitLines } from './replayCommand.ts';
import { UsageError } from './usageError.ts';
import { userDataDir } from './userDataDir.ts';

/** At most one status line per this many ms. */
export const STATUS_MS = 10_000;

function parseBootstrap(text: string): string[] {
  const nodes = text.split(',').filter((n) => n !== '');
  for (const node of nodes) {
    const match = /^(.+):(\d{1,5})$/.exec(node);
    if (!match || Number(match[2]) > 65535) {
      throw new UsageError(`--dht-bootstrap takes HOST:PORT,…, got ${JSON.stringify(node)}`);
    }
  }
  if (nodes.length === 0) throw new UsageError('--dht-bootstrap takes HOST:PORT,…, got nothing');
  return nodes;
}

function statusLine(prefix: string, s: FullNodeStatus): string {
  return (
    `${prefix}: ${s.peers} peers, ${s.accepted} accepted (${s.stored} stored), ${s.hotTorrents} torrents hot, ${s.onDemandTorrents} on demand, ${s.coldAnnouncesPerSecond} cold announces/s` +
    `, tcp port ${s.tcpPort ?? '-'}, dht port ${s.dhtPort ?? 'off'}` +
    `, ${s.connections}/${s.maxConnections} WebRTC connections (peak ${s.connectionsPeak}), ${s.turnedAway} told to come back`
  );
}

async function exportCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } } });
  if (values.data === undefined) throw new UsageError('node export needs --data DIR');
  const path = join(values.data, 'ledger.sqlite');
  if (!existsSync(path)) throw new UsageError(`${values.data} holds no ledger (no ledger.sqlite)`);
  const store = SqliteLedgerStore.openExisting(path);
  try {
    const newline = Buffer.from('\n');
    for await (const bytes of acceptedParentsFirst(store)) {
      // Backpressure: wait for stdout to drain before writing more.
      if (!process.stdout.write(Buffer.concat([bytes, newline]))) {
        await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
    }
  } finally {
    store.close();
  }
  return 0;
}

export async function nodeCommand(args: string[]): Promise<number> {
  if (args[0] === 'export') return exportCommand(args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      network: { type: 'string' },
      data: { type: 'string' },
      import: { type: 'string' },
      port: { type: 'string' },
      'no-dht': { type: 'boolean' },
      'dht-bootstrap': { type: 'string' },
      'max-connections': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`node takes no ${JSON.stringify(positionals[0])}`);
  if (values.network === undefined) throw new UsageError('node needs --network FILE|URL');
  if (values['no-dht'] && values['dht-bootstrap'] !== undefined) {
    throw new UsageError('--no-dht and --dht-bootstrap contradict each other');
  }
  const port = values.port === undefined ? 0 : parseInteger('port', values.port, 0, 65535);
  const maxConnections =
    values['max-connections'] === undefined
      ? undefined
      : parseInteger('max-connections', values['max-connections'], MIN_MAX_CONNECTIONS, 100_000);
  const bootstrap =
    values['dht-bootstrap'] === undefined ? undefined : parseBootstrap(values['dht-bootstrap']);
  let lines: Uint8Array[] | undefined;
  if (values.import !== undefined) {
    try {
      lines = splitLines(readFileSync(values.import));
    } catch (err) {
      throw new UsageError(`cannot read --import ${values.import} (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  const network = await readNetwork(values.network);
  const dataDir = values.data ?? userDataDir(network.genesisId);

  let full;
  try {
    full = await openFullNode({
      network,
      dataDir,
      port,
      dht: values['no-dht'] ? false : bootstrap ? { bootstrap } : {},
      ...(maxConnections === undefined ? {} : { maxConnections }),
      // A network served over HTTP has its tracker's record beside it (server/trackerRecordRoute.ts).
      discovery: /^https?:\/\//.test(values.network)
        ? { recordUrl: new URL('/api/tracker/record', values.network).href }
        : {},
    });
  } catch (err) {
    // Another network's ledger in --data, or a newer schema: the user picks another folder.
    if ((err as Error).name === 'LedgerFileError') throw new UsageError((err as Error).message);
    throw err;
  }
  // Signals are heard from here on (a signal before the online line must not kill the node mid-write):
  // an import stops between batches, then the node closes.
  const stopping = new AbortController();
  const signalled = new Promise<string>((resolve) => {
    const stop = (signal: string): void => {
      if (stopping.signal.aborted) return;
      stopping.abort();
      resolve(signal);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  if (lines) {
    const started = performance.now();
    const added = await full.importLines(lines, stopping.signal);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `imported ${values.import}: ${lines.length} lines, ${added} new, in ${seconds.toFixed(1)} s` +
        ` (${Math.round(lines.length / Math.max(seconds, 1e-3))} lines/s)`,
    );
  }
  if (!stopping.signal.aborted) {
    await full.start();
    console.log(
      statusLine(
        `torrenttx node online (network ${network.name} ${network.genesisId}, data ${dataDir})`,
        await full.status(),
      ),
    );
    let last = '';
    timer = setInterval(() => {
      void full.status().then((s) => {
        const line = statusLine('status', s);
        if (line !== last) console.log(line);
        last = line;
      });
    }, STATUS_MS);
  }
  const signal = await signalled;
  clearInterval(timer);
  console.log(`${signal}: closing`);
  try {
    await full.close();
  } catch (err) {
    console.error(`torrenttx node: closing failed: ${(err as Error).message}`);
    process.exit(1);
  }
  // webtorrent can leave a socket or timer behind after destroy: a closed node must not linger.
  process.exit(0);
}
