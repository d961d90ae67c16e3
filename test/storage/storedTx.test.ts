// The IndexedDB row form (src/storage/storedTx.ts) gives back every record exactly but its `spent`, for every kind of
// record (accepted, conflict, invalid with and without a parsed tx, too large, orphan, future), and
// keeps a bytes view's bytes only, not the buffer around it.
import { describe, expect, it } from 'vitest';
import { Ledger, recordOf } from '../../src/core/ledger.ts';
import { fromStoredTx, toStoredTx } from '../../src/storage/storedTx.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { ledgerScenario } from '../support/ledgerScenario.ts';

describe('stored rows', () => {
  it('round-trip every record of the scenario', async () => {
    const s = ledgerScenario();
    const store = new MemoryLedgerStore();
    const ledger = new Ledger(store, s.net.params);
    for (const call of s.phase1) await ledger.receive(call, s.now);
    const statuses = new Set(store.all().map((r) => r.status));
    expect([...statuses].sort()).toEqual(['accepted', 'conflict', 'future', 'invalid', 'orphan']);
    // `spent` is kept apart from the row (it changes with every child).
    for (const record of store.all()) {
      expect(fromStoredTx(toStoredTx(record))).toEqual({ ...record, spent: undefined });
      expect(toStoredTx(record)).not.toHaveProperty('spent');
    }
  });

  it('store a bytes view as its own bytes', async () => {
    const s = ledgerScenario();
    const frame = new Uint8Array(10_000);
    frame.set(s.net.genesis.bytes, 20);
    const view = frame.subarray(20, 20 + s.net.genesis.bytes.length);
    const store = new MemoryLedgerStore();
    const [outcome] = (await new Ledger(store, s.net.params).receive([view], s.now)).outcomes;
    const row = toStoredTx(recordOf(outcome!));
    expect(row.bytes!.buffer.byteLength).toBe(s.net.genesis.bytes.length);
    expect(row).not.toHaveProperty('waitingOn');
  });
});
