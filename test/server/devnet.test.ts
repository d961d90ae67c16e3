// The devnet's genesis and network config: made on first start in the data folder, the same on every
// later start, and served as /network.json in the shape the app reads.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressOfKeyHex } from '../../src/core/address.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { workOf } from '../../src/core/work.ts';
import { GENESIS_TX_PATH, SECRET_KEY_FILE } from '../../server/devnet.ts';
import { useTestDevnets } from './useTestDevnets.ts';

const devnets = useTestDevnets();
const start = () => devnets.start();

describe('devnet genesis', () => {
  it('is made on the first start and loaded, unchanged, on the next', async () => {
    const first = await start();
    expect(first.devnet.created).toBe(true);
    const genesisId = first.network.genesisId;
    const keyFile = join(devnets.dataDir, SECRET_KEY_FILE);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(join(devnets.dataDir, GENESIS_TX_PATH));
    expect(txIdOf(bytes)).toBe(genesisId);

    const parsed = parseTx(bytes);
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(parsed.tx).toMatchObject({ tokens: 10 ** 12, prev: null, to: addressOfKeyHex(parsed.tx.key) });
    expect(workOf(parsed.tx)).toBeGreaterThanOrEqual(8);
    await first.close();

    const second = await start();
    expect(second.devnet.created).toBe(false);
    expect(second.network.genesisId).toBe(genesisId);
    expect(second.network.genesisTx).toBe(first.network.genesisTx);
  });

  it('refuses a data folder whose genesis is not its own (one line, nothing overwritten)', async () => {
    const first = await start();
    await first.close();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(devnets.dataDir, SECRET_KEY_FILE), 'not a key\n');
    await expect(start()).rejects.toMatchObject({
      name: 'DataFileError',
      message: expect.stringMatching(/genesis-secret-key: not a 64-hex-character Ed25519 secret key/),
    });
  });
});

describe('GET /network.json', () => {
  it('has the documented shape, the real tracker port, and a genesis text that hashes to genesisId', async () => {
    const devnet = await start();
    const res = await fetch(new URL('/network.json', devnet.appUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const config = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(config).sort()).toEqual([
      'faucet',
      'genesisId',
      'genesisTx',
      'iceServers',
      'name',
      'powUnit',
      'trackers',
    ]);
    expect(config).toEqual({
      name: 'devnet',
      genesisId: expect.stringMatching(/^[0-9a-f]{40}$/),
      genesisTx: expect.any(String),
      powUnit: 1,
      trackers: [`ws://127.0.0.1:${devnet.tracker.port}`],
      faucet: '/api/faucet',
      iceServers: [], // loopback: no STUN or TURN server
    });
    expect(txIdOf(encodeUtf8(config.genesisTx as string))).toBe(config.genesisId);
    expect(config).toEqual(devnet.network);
    expect(devnet.trackerUrls).toEqual(config.trackers);
  });

  it('serves the tracker record at /api/tracker/record', async () => {
    const devnet = await start();
    const res = await fetch(new URL('/api/tracker/record', devnet.appUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: 2, total: 0, infoHashes: {}, next: null });
  });
});
