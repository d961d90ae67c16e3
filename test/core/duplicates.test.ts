// Duplicates and pinned bytes (PROTOCOL §5, "Known weakness"): the same bytes again change nothing;
// other bytes under a known id are a bytes-mismatch.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { type TxRecord } from '../../src/core/txRecord.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import {
  type Person,
  people,
  founder,
  T0,
  NOW,
  genesis,
  networkOf,
  freshLedger,
  pay,
} from '../support/txSetArbitraries.ts';

const [, alice] = people as [Person, Person];

describe('duplicates and pinned bytes', () => {
  // Proves a duplicate inside one call changes nothing: one arrival, one record.
  it('the same bytes twice in one call: new, then duplicate', async () => {
    const { store, ledger } = freshLedger(networkOf(1n));
    const garbage = encodeUtf8('{"not":"a tx"}');
    const result = await ledger.receive([genesis.bytes, genesis.bytes, garbage, garbage], NOW);
    expect(result.outcomes.map((o) => o.kind)).toEqual(['new', 'duplicate', 'new', 'duplicate']);
    expect(await store.getMeta()).toEqual({ nextArrival: 2 });
    expect(store.all().map((r) => r.status)).toEqual(['accepted', 'invalid']);
  });

  // Proves the SHA-256 pin (PROTOCOL "Known weakness"): bytes under a known id whose SHA-256 differs from
  // what was first seen are reported as `bytes-mismatch` and change nothing. A SHA-1 collision cannot be
  // made here, so the first bytes are planted in the store under the id of the second.
  it('different bytes under a known id are a bytes-mismatch and change nothing', async () => {
    const { store, ledger } = freshLedger(networkOf(1n));
    const real = pay(founder, { tokens: 5, to: alice.pair.address, time: T0 + 1, prev: genesis.id });
    const other = encodeUtf8('{"planted":"bytes"}');
    const planted: TxRecord = {
      id: real.id,
      arrival: 0,
      bytes: other,
      sha256: bytesToHex(sha256(other)),
      tx: null,
      prev: null,
      to: null,
      status: 'invalid',
      reason: 'malformed',
      detail: 'planted by the test',
    };
    await store.commit({ records: [planted], balances: new Map(), meta: { nextArrival: 1 } });
    const result = await ledger.receive([real.bytes], NOW);
    expect(result.outcomes).toEqual([{ kind: 'bytes-mismatch', id: real.id, record: planted }]);
    expect(result.changed).toEqual([]);
    expect(store.all()).toEqual([planted]);
    expect(await store.getMeta()).toEqual({ nextArrival: 1 });
  });
});
