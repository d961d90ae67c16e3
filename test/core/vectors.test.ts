// Every value in the independent implementation's vectors (test/vectors/v1.json) must come out of the
// core unchanged: keys, addresses, ids, info dicts, signing messages, work, the replay's verdicts.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { addressOfKeyHex } from '../../src/core/address.ts';
import { checkTxBytes } from '../../src/core/checkTx.ts';
import { bytesToHex, hexToBytes } from '../../src/core/hex.ts';
import { Ledger } from '../../src/core/ledger.ts';
import { keyPairOf } from '../../src/core/makeTx.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { signingMessage } from '../../src/core/signingMessage.ts';
import { txIdOf, txInfoDict } from '../../src/core/txId.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { leadingZeroBits, powHash, workBase, workOf } from '../../src/core/work.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { replayBytes, v1 } from '../support/vectors.ts';

describe('people: secret key = SHA-256(seed text)', () => {
  for (const [name, person] of Object.entries(v1.people)) {
    it(name, () => {
      const secret = sha256(encodeUtf8(person.seedText));
      expect(bytesToHex(secret)).toBe(person.secretKeyHex);
      const pair = keyPairOf(secret);
      expect(pair.publicKey).toBe(person.publicKeyHex);
      expect(pair.address).toBe(person.address);
      expect(addressOfKeyHex(person.publicKeyHex)).toBe(person.address);
    });
  }
});

describe('transactions', () => {
  for (const [name, vector] of Object.entries(v1.transactions)) {
    it(name, async () => {
      const bytes = encodeUtf8(vector.text);
      expect(bytesToHex(txInfoDict(bytes))).toBe(vector.infoDictHex);
      expect(txIdOf(bytes)).toBe(vector.id);
      const parsed = parseTx(bytes);
      if (!parsed.ok) throw new Error(`vector ${name} did not parse: ${parsed.detail}`);
      expect(bytesToHex(signingMessage(parsed.tx))).toBe(vector.signingMessageHex);
      const base = workBase(parsed.tx);
      expect(bytesToHex(base)).toBe(vector.workBaseHex);
      const hash = powHash(base, parsed.tx.nonce ?? 0);
      expect(bytesToHex(hash)).toBe(vector.powHashHex);
      expect(leadingZeroBits(hash)).toBe(vector.work);
      expect(workOf(parsed.tx)).toBe(vector.work);
      expect(await checkTxBytes(bytes)).toMatchObject({ ok: true, id: vector.id });
    });
  }
});

describe('replay', () => {
  it('ids of every line match the final table', () => {
    const ids = replayBytes().map(txIdOf);
    expect(ids).toEqual(v1.replay.final.map((f) => f.id));
  });

  for (const batching of ['one batch', 'one line per call'] as const) {
    it(`gives the vectors' final verdicts, figures and balances (${batching})`, async () => {
      const store = new MemoryLedgerStore();
      const ledger = new Ledger(store, { genesisId: v1.genesisId, powUnit: BigInt(v1.powUnit) });
      const now = Date.parse('2026-06-01T00:00:00Z');
      if (batching === 'one batch') await ledger.receive(replayBytes(), now);
      else for (const bytes of replayBytes()) await ledger.receive([bytes], now);
      for (const expected of v1.replay.final) {
        const record = await store.getTx(expected.id);
        const got = {
          status: record?.status,
          reason: record?.reason,
          ...(expected.mint === undefined
            ? {}
            : { mint: Number(record?.mint), fee: Number(record?.fee), value: Number(record?.value) }),
        };
        const want = {
          status: expected.status,
          reason: expected.reason,
          ...(expected.mint === undefined
            ? {}
            : { mint: expected.mint, fee: expected.fee, value: expected.value }),
        };
        expect(got, expected.name).toEqual(want);
      }
      const balances = Object.fromEntries([...store.allBalances()].map(([a, b]) => [a, Number(b)]));
      expect(balances).toEqual(v1.replay.balances);
    });
  }

  it('records the evidence of the double spend: the accepted sibling it collided with', async () => {
    const store = new MemoryLedgerStore();
    const ledger = new Ledger(store, { genesisId: v1.genesisId, powUnit: 1n });
    await ledger.receive(replayBytes(), Date.parse('2026-06-01T00:00:00Z'));
    const conflict = await store.getTx(v1.replay.final.find((f) => f.name === 'alice-double-spend')!.id);
    const winner = v1.replay.final.find((f) => f.name === 'alice-to-bob')!.id;
    expect(conflict?.conflictWith).toContain(winner);
  });

  it('bad-signature vector differs from a valid one only in its signature', () => {
    const good = v1.replay.lines.find((l) => l.name === 'alice-to-bob')!.text;
    const bad = v1.replay.lines.find((l) => l.name === 'bad-signature')!.text;
    expect(bad.replace(/"signature":"[0-9a-f]+"/, '')).toBe(good.replace(/"signature":"[0-9a-f]+"/, ''));
    expect(hexToBytes(JSON.parse(bad).signature)).toHaveLength(64);
  });
});
