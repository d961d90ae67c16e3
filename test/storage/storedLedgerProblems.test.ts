// The crash-consistency checker (test/support/storedLedgerProblems.ts) passes a ledger as a node stored
// it and finds each kind of damage a crash could leave: a lost parent, a balance without its batch, a
// batch without its balances, a status that the stored bytes do not give.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import type { StoredLedger } from '../support/appPage.ts';
import { storedLedgerProblems } from '../support/storedLedgerProblems.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';

const net = makeTestNetwork();
const [alice, bob] = [personNamed('alice'), personNamed('bob')];
const toAlice = pay(net.owner, alice, 600_000, net.genesis.id);
const toBob = pay(alice, bob, 1_000, toAlice.id);
const doubleSpend = pay(net.owner, bob, 500_000, net.genesis.id);

/** The ledger as a node stores it, in readStoredLedger's shape. */
async function storedLedger(): Promise<StoredLedger> {
  const store = new MemoryLedgerStore();
  const ledger = new Ledger(store, net.params);
  for (const tx of [net.genesis, toAlice, toBob, doubleSpend]) await ledger.receive([tx.bytes], Date.now());
  const records = store.all().sort((a, b) => a.arrival - b.arrival);
  return {
    bytes: records.map((r) => Buffer.from(r.bytes!).toString('base64')),
    statuses: records.map((r) => r.status),
    balances: Object.fromEntries([...store.allBalances()].map(([a, b]) => [a, b.toString()])),
  };
}

describe('storedLedgerProblems', () => {
  it('finds nothing wrong with a ledger as stored', async () => {
    const stored = await storedLedger();
    expect(stored.statuses).toEqual(['accepted', 'accepted', 'accepted', 'conflict']);
    expect(await storedLedgerProblems(stored, net.params)).toEqual([]);
  });

  it('finds a lost parent', async () => {
    const stored = await storedLedger();
    const lost = {
      ...stored,
      bytes: stored.bytes.toSpliced(1, 1),
      statuses: stored.statuses.toSpliced(1, 1),
    };
    const problems = await storedLedgerProblems(lost, net.params);
    expect(problems).toContain(`${toBob.id}: stored accepted, replayed orphan`);
    expect(problems).toContain(`${alice.address}: balance 599000 stored, none replayed`);
  });

  it('finds balances of a batch whose records were not written, and records without their balances', async () => {
    const stored = await storedLedger();
    const withoutLast = {
      ...stored,
      bytes: stored.bytes.slice(0, 2),
      statuses: stored.statuses.slice(0, 2),
    };
    expect(await storedLedgerProblems(withoutLast, net.params)).toContain(
      `${bob.address}: balance 1000 stored, none replayed`,
    );
    const staleBalances = { ...stored, balances: { ...stored.balances, [bob.address]: '0' } };
    expect(await storedLedgerProblems(staleBalances, net.params)).toEqual([
      `${bob.address}: balance stored 0, replayed 1000`,
    ]);
  });

  it('finds a status the bytes do not give', async () => {
    const stored = await storedLedger();
    const wrong = { ...stored, statuses: stored.statuses.with(3, 'accepted') };
    expect(await storedLedgerProblems(wrong, net.params)).toEqual([
      `${doubleSpend.id}: stored accepted, replayed conflict`,
    ]);
  });
});
