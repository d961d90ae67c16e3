// The devnet faucet end to end: a payment from the genesis output that a core Ledger accepts with fee 0,
// the account it keeps on disk, and how it says no (400, 405, 413, 429, 503).
import { request } from 'node:http';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger, recordOf } from '../../src/core/ledger.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { FAUCET_FILE } from '../../server/faucet.ts';
import { DEFAULT_FAUCET_LIMITS, FAUCET_MAX_TOKENS, type FaucetLimits } from '../../server/faucetRoute.ts';
import type { RunningDevnet } from '../../server/startDevnet.ts';
import { personNamed } from '../support/testNetwork.ts';
import { useTestDevnets } from './useTestDevnets.ts';

const devnets = useTestDevnets();
const start = (faucetLimits?: FaucetLimits) => devnets.start(faucetLimits ? { faucetLimits } : {});

function ask(devnet: RunningDevnet, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL('/api/faucet', devnet.appUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
}

/** POST /api/faucet from `localAddress` (any of 127.0.0.0/8): the status and the error, if any. */
function askFrom(devnet: RunningDevnet, localAddress: string, address: string): Promise<number> {
  const body = JSON.stringify({ address });
  return new Promise((resolve, reject) => {
    const req = request(new URL('/api/faucet', devnet.appUrl), {
      method: 'POST',
      localAddress,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A checksum error: the last character of a valid address changed. */
function mistype(address: string): string {
  return address.slice(0, -1) + (address.endsWith('q') ? 'p' : 'q');
}

describe('faucet payments', () => {
  it('pays a fresh address with a transaction a core ledger accepts after the genesis, fee 0', async () => {
    const devnet = await start();
    const alice = personNamed(`faucet-${Date.now()}`);
    const res = await ask(devnet, { address: alice.address });
    expect(res.status).toBe(200);
    const { id, tx } = (await res.json()) as { id: string; tx: string };
    expect(JSON.parse(tx)).toMatchObject({ tokens: 1000, to: alice.address, prev: devnet.network.genesisId });

    const ledger = new Ledger(new MemoryLedgerStore(), {
      genesisId: devnet.network.genesisId,
      powUnit: 1n,
    });
    const result = await ledger.receive([encodeUtf8(devnet.network.genesisTx), encodeUtf8(tx)], Date.now());
    const [genesis, payment] = result.outcomes.map(recordOf);
    expect(genesis).toMatchObject({ status: 'accepted' });
    expect(payment).toMatchObject({ id, status: 'accepted', fee: 0n, cost: 1000n });
    expect(payment!.value).toBeGreaterThanOrEqual(1000n);
    expect(await ledger.store.getBalance(alice.address)).toBe(payment!.value);

    // The account on disk already counts it, before the answer was sent.
    const account = JSON.parse(await readFile(join(devnets.dataDir, FAUCET_FILE), 'utf8'));
    expect(account).toMatchObject({
      genesisId: devnet.network.genesisId,
      left: String(10 ** 12 - 1000),
      payments: 1,
    });
  });

  it('makes two distinct transactions for two equal requests, both accepted', async () => {
    const devnet = await start();
    const bob = personNamed('faucet-bob');
    const answers = await Promise.all([
      ask(devnet, { address: bob.address, tokens: 5 }),
      ask(devnet, { address: bob.address, tokens: 5 }),
    ]);
    const txs = await Promise.all(answers.map(async (r) => (await r.json()) as { id: string; tx: string }));
    expect(txs[0]!.id).not.toBe(txs[1]!.id);
    const ledger = new Ledger(new MemoryLedgerStore(), devnet.devnet.params);
    const result = await ledger.receive(
      [encodeUtf8(devnet.network.genesisTx), ...txs.map((t) => encodeUtf8(t.tx))],
      Date.now(),
    );
    expect(result.outcomes.map((o) => recordOf(o).status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(devnet.faucet.tokensLeft).toBe(10n ** 12n - 10n);
  });

  it('refuses with 503 once its account of the genesis output cannot cover a payment', async () => {
    const first = await start();
    const genesisId = first.network.genesisId;
    await first.close();
    await mkdir(devnets.dataDir, { recursive: true });
    await writeFile(
      join(devnets.dataDir, FAUCET_FILE),
      JSON.stringify({ version: 1, genesisId, left: '1500', payments: 999, lastTime: 0 }),
    );
    const devnet = await start();
    const carol = personNamed('faucet-carol');
    expect((await ask(devnet, { address: carol.address })).status).toBe(200);
    const res = await ask(devnet, { address: carol.address });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'the faucet has 500 tokens left, fewer than the 1000 asked' });
    expect((await ask(devnet, { address: carol.address, tokens: 500 })).status).toBe(200);
    expect(await (await ask(devnet, { address: carol.address, tokens: 1 })).json()).toEqual({
      error: 'the faucet is empty',
    });
  });
});

describe('faucet input', () => {
  it('answers 400 with the checksum problem for a mistyped address', async () => {
    const devnet = await start();
    const res = await ask(devnet, { address: mistype(personNamed('dave').address) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: '"address" is not a ttx1… address: checksum does not match — a character is mistyped',
    });
  });

  it('answers 400 for bodies that are not the documented request', async () => {
    const devnet = await start();
    const address = personNamed('erin').address;
    const cases: [unknown, RegExp][] = [
      ['{not json', /^the body is not UTF-8 JSON/],
      [[address], /^the body must be a JSON object/],
      [{}, /^"address" must be a ttx1… address, got none$/],
      [{ address: 'ttx1short' }, /^"address" is not a ttx1… address: an address has 62 characters/],
      [{ address, tokens: 0 }, /^"tokens" must be an integer from 1 to 100000, got 0$/],
      [{ address, tokens: 100_001 }, /^"tokens" must be an integer from 1 to 100000/],
      [{ address, tokens: 1.5 }, /^"tokens" must be an integer/],
    ];
    for (const [body, error] of cases) {
      const res = await ask(devnet, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
  });

  it('answers 413 for a body over 4 KiB and 405 for GET', async () => {
    const devnet = await start();
    const res = await ask(devnet, { address: personNamed('frank').address, memo: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'the body is larger than 4096 bytes' });
    // Streamed with no Content-Length: refused when the bytes pass the limit, not after the whole body.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    const streamed = await fetch(new URL('/api/faucet', devnet.appUrl), {
      method: 'POST',
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const get = await fetch(new URL('/api/faucet', devnet.appUrl));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('faucet rate limits', () => {
  it('answers 429 after 10 requests a minute for one address', async () => {
    const devnet = await start({
      ...DEFAULT_FAUCET_LIMITS,
      perAddress: { burst: 10, perMinute: 10 },
      perIp: { burst: 1000, perMinute: 1000 },
    });
    const grace = personNamed('grace').address;
    for (let i = 0; i < 10; i++) expect((await ask(devnet, { address: grace, tokens: 1 })).status).toBe(200);
    const res = await ask(devnet, { address: grace, tokens: 1 });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /^too many faucet requests for this address \(at most 10 a minute\): try again in \d+ s$/,
    );
    // Another address is not held back by grace's limit.
    expect((await ask(devnet, { address: personNamed('heidi').address, tokens: 1 })).status).toBe(200);
  });

  it('answers 429 after 10 requests a minute from one IP, whatever the addresses', async () => {
    const devnet = await start();
    for (let i = 0; i < 10; i++) {
      expect((await ask(devnet, { address: personNamed(`ivan-${i}`).address, tokens: 1 })).status).toBe(200);
    }
    const res = await ask(devnet, { address: personNamed('ivan-10').address, tokens: 1 });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: string }).error).toMatch(/^too many faucet requests from this IP/);
  });

  it('caps a drain from 20 source addresses × 10 fresh addresses at the global token budget', async () => {
    const devnet = await start();
    const left = devnet.faucet.tokensLeft;
    const { globalTokens } = DEFAULT_FAUCET_LIMITS;
    const started = performance.now();
    const statuses: number[] = [];
    // Sources one after another, each asking for its ten addresses at once.
    for (let source = 1; source <= 20; source++) {
      const from = `127.0.2.${source}`;
      const asks = Array.from({ length: 10 }, (_, i) =>
        askFrom(devnet, from, personNamed(`drain-${source}-${i}`).address),
      );
      statuses.push(...(await Promise.all(asks)));
    }
    const seconds = (performance.now() - started) / 1000;
    const paid = statuses.filter((s) => s === 200).length;
    // The burst buys FAUCET_MAX_TOKENS / 1000 default payments; what refilled meanwhile, a few more.
    const refilled = Math.ceil((seconds * globalTokens.perMinute) / 60 / 1000);
    expect(paid).toBeGreaterThanOrEqual(FAUCET_MAX_TOKENS / 1000);
    expect(paid).toBeLessThanOrEqual(FAUCET_MAX_TOKENS / 1000 + refilled);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
    expect(left - devnet.faucet.tokensLeft).toBe(BigInt(paid) * 1000n);
    console.log(`faucet drain 20 sources × 10 addresses: ${paid}/200 paid in ${seconds.toFixed(1)} s`);

    const res = await ask(devnet, { address: personNamed('drain-late').address });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /^too many faucet requests from everyone \(at most 100000 tokens an hour\): try again in \d+ s$/,
    );
  });
});
