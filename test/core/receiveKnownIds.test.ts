// Ledger.receive with the ids its caller computed (gossip hashes every received transaction to check its
// sender's id, and hands the ids on so that the ledger does not hash again): the same verdicts and stored
// records as when the ledger hashes, and a list of ids that does not match the items is refused.
import { describe, expect, it } from 'vitest';
import { txIdOf } from '../../src/core/txId.ts';
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

const [, alice, bob] = people as [Person, Person, Person];

describe('receive with known ids', () => {
  it('decides exactly as when the ledger hashes the bytes itself', async () => {
    const a = pay(founder, { tokens: 3000, to: alice.pair.address, time: T0 + 1, prev: genesis.id });
    const b = pay(alice, { tokens: 2000, to: bob.pair.address, time: T0 + 2, prev: a.id });
    const overspend = pay(alice, { tokens: 5000, to: bob.pair.address, time: T0 + 3, prev: a.id });
    const items = [genesis.bytes, b.bytes, a.bytes, overspend.bytes];
    const hashing = freshLedger(networkOf(1n));
    const given = freshLedger(networkOf(1n));
    const byHashing = await hashing.ledger.receive(items, NOW);
    const byGiven = await given.ledger.receive(items, NOW, items.map(txIdOf));
    expect(byGiven.outcomes).toEqual(byHashing.outcomes);
    expect(byGiven.outcomes.map((o) => o.kind === 'new' && o.record.status)).toEqual([
      'accepted',
      'orphan',
      'accepted',
      'invalid',
    ]);
    for (const id of [genesis.id, a.id, b.id, overspend.id]) {
      expect(await given.store.getTx(id)).toEqual(await hashing.store.getTx(id));
    }
  });

  it('refuses ids that do not match the items in number, and stores nothing', async () => {
    const { store, ledger } = freshLedger(networkOf(1n));
    expect(() => ledger.receive([genesis.bytes], NOW, [])).toThrow(RangeError);
    expect(await store.getTx(genesis.id)).toBeUndefined();
  });
});
