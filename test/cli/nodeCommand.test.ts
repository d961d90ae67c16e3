// `torrenttx node` as a user runs it: a child process that imports a file of tx.json lines into its
// SQLite ledger, goes online on a real tracker, says so in one line, closes cleanly on SIGTERM, and
// `torrenttx node export` gives back the accepted txs parents first, which replay to the same balances.
// Bad arguments: one line, exit 2.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, recordOf } from '../../src/core/ledger.ts';
import { splitLines } from '../../src/cli/replayCommand.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { networkConfigOf } from '../support/fullNodeNetwork.ts';
import { makeTxDag } from '../support/txDag.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/torrenttx.js');
const dir = mkdtempSync(join(tmpdir(), 'ttx-node-cli-'));
const dag = makeTxDag(120, 3);
let tracker: TestTracker;
let networkFile = '';

beforeAll(async () => {
  tracker = await startTestTracker();
  networkFile = join(dir, 'network.json');
  writeFileSync(networkFile, JSON.stringify(networkConfigOf(dag.network, [tracker.wsUrl])));
});
afterAll(async () => {
  await tracker.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('torrenttx node: bad arguments', () => {
  const cases: [string, string[], RegExp][] = [
    ['no --network', ['node', '--no-dht'], /needs --network/],
    [
      'a missing network file',
      ['node', '--network', join(dir, 'none.json')],
      /cannot read --network .*ENOENT/,
    ],
    ['a bad port', ['node', '--network', 'x', '--port', '70000'], /--port must be from 0 to 65535/],
    [
      'a connection maximum too small to leave gossip room',
      ['node', '--network', 'x', '--max-connections', '3'],
      /--max-connections must be from 4 to/,
    ],
    ['a bad bootstrap', ['node', '--network', 'x', '--dht-bootstrap', 'nohost'], /HOST:PORT/],
    [
      '--no-dht with --dht-bootstrap',
      ['node', '--network', 'x', '--no-dht', '--dht-bootstrap', 'a:1'],
      /contradict/,
    ],
    ['an unknown flag', ['node', '--network', 'x', '--fast'], /Unknown option '--fast'/],
    ['export without --data', ['node', 'export'], /needs --data/],
    ['export of a folder with no ledger', ['node', 'export', '--data', dir], /holds no ledger/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const { code, stderr } = await cli(...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }

  it('a network file whose genesisTx does not hash to its genesisId', async () => {
    const bad = join(dir, 'bad-network.json');
    const config = networkConfigOf(dag.network, [tracker.wsUrl]);
    writeFileSync(bad, JSON.stringify({ ...config, genesisId: 'ab'.repeat(20) }));
    const { code, stderr } = await cli('node', '--network', bad, '--no-dht');
    expect(code).toBe(2);
    expect(stderr).toMatch(/"genesisTx" hashes to [0-9a-f]{40}, not "genesisId" abab/);
  });
});

it('imports, goes online, closes on SIGTERM, and exports parents first', async () => {
  const importFile = join(dir, 'import.txt');
  writeFileSync(importFile, Buffer.concat(dag.delivery.flatMap((b) => [b, Buffer.from('\n')])));
  const expected = new MemoryLedgerStore();
  await new Ledger(expected, dag.network.params).receive(dag.delivery as Uint8Array[], Date.now());
  const accepted = (await expected.statusCounts()).accepted!;

  const dataDir = join(dir, 'data');
  const child = spawn(
    process.execPath,
    [BIN, 'node', '--network', networkFile, '--data', dataDir, '--import', importFile, '--no-dht'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const online = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('torrenttx node online'));
      if (line) resolve(line);
    });
    child.on('exit', (code) => reject(new Error(`node exited ${code} before online: ${out}${err}`)));
  });
  expect(out).toMatch(
    new RegExp(`^imported .*import\\.txt: ${dag.delivery.length} lines, ${dag.delivery.length - 1} new`, 'm'),
  );
  expect(online).toMatch(
    new RegExp(
      `0 peers, ${accepted} accepted \\(${dag.delivery.length} stored\\), ${accepted - 1} torrents hot`,
    ),
  );
  const exit = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(`${code} ${signal}`)),
  );
  child.kill('SIGTERM');
  expect(await exit, out + err).toBe('0 null');
  expect(out).toMatch(/SIGTERM: closing/);

  const exported = await cli('node', 'export', '--data', dataDir);
  expect(exported.code).toBe(0);
  const lines = splitLines(Buffer.from(exported.stdout));
  expect(lines).toHaveLength(accepted);
  const replayed = new MemoryLedgerStore();
  const { outcomes } = await new Ledger(replayed, dag.network.params).receive(lines, Date.now());
  expect(outcomes.every((o) => recordOf(o).status === 'accepted')).toBe(true);
  expect(replayed.allBalances()).toEqual(expected.allBalances());
}, 120_000);
