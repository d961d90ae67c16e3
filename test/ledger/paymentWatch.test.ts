// What the wallet's payment safety is computed from (src/ledger/paymentWatch.ts), on a real ledger with
// a double spend (test/support/conflictScenario.ts), and the evidence the gossip ledger reports for it.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import { gossipLedgerOf } from '../../src/ledger/gossipLedgerOf.ts';
import { MAX_ANCESTRY_DEPTH, PaymentWatch } from '../../src/ledger/paymentWatch.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { MemorySettledTimes } from '../../src/storage/settledTimes.ts';
import { makeConflictScenario } from '../support/conflictScenario.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';

const OPENED = 1000;

describe('PaymentWatch', () => {
  it('a double spend of an ancestor output reaches every payment below it; the loser and its children are in conflict since seen', async () => {
    const s = await makeConflictScenario();
    const read = (ids: string[]) => s.store.getTxs(ids);
    const records = await read([s.aliceToCarol.id, s.toBob.id, s.bobSpends.id, s.orphan.id]);
    const watch = new PaymentWatch(OPENED);
    watch.seen(s.aliceToCarol.id, 2000);
    watch.seen(s.aliceToCarol.id, 9000); // a later sighting changes nothing
    let safety = await watch.safetyOf(
      records.map((r) => r!),
      read,
    );
    expect(safety.get(s.aliceToCarol.id)).toEqual({
      firstSeenAt: 2000,
      conflictSeenAt: null,
      settledAt: null,
    });
    // Stored as lost before this session: in conflict since the ledger opened.
    expect(safety.get(s.toBob.id)).toEqual({ firstSeenAt: OPENED, conflictSeenAt: OPENED, settledAt: null });
    expect(safety.get(s.bobSpends.id)).toEqual({
      firstSeenAt: OPENED,
      conflictSeenAt: OPENED,
      settledAt: null,
    });
    expect(safety.get(s.orphan.id)).toEqual({ firstSeenAt: OPENED, conflictSeenAt: null, settledAt: null });

    watch.conflicted(s.net.genesis.id, 3000); // the genesis output was spent twice
    watch.conflicted(s.net.genesis.id, 7000); // the first sighting stands
    safety = await watch.safetyOf(
      records.map((r) => r!),
      read,
    );
    // aliceToCarol spends toAlice, which spends the genesis: an ancestor's output was double spent.
    expect(safety.get(s.aliceToCarol.id)).toEqual({
      firstSeenAt: 2000,
      conflictSeenAt: 3000,
      settledAt: null,
    });
    expect(safety.get(s.orphan.id)?.conflictSeenAt).toBeNull(); // its ancestry is unknown past its parent
  });

  it(`searches at most MAX_ANCESTRY_DEPTH (${MAX_ANCESTRY_DEPTH}) outputs back`, async () => {
    const net = makeTestNetwork(1_000_000);
    const people = Array.from({ length: MAX_ANCESTRY_DEPTH + 3 }, (_, i) => personNamed(`chain-${i}`));
    const chain = [pay(net.owner, people[0]!, 1000, net.genesis.id)];
    for (let i = 1; i < people.length; i++) {
      chain.push(pay(people[i - 1]!, people[i]!, 1000 - i, chain[i - 1]!.id, chain[i - 1]!.tx.time + 1));
    }
    const store = new MemoryLedgerStore();
    await new Ledger(store, net.params).receive(
      [net.genesis.bytes, ...chain.map((t) => t.bytes)],
      Date.now(),
    );
    const read = (ids: string[]) => store.getTxs(ids);
    const last = (await store.getTx(chain.at(-1)!.id))!;
    const watch = new PaymentWatch(OPENED);
    // The last payment spends chain[-2]'s output; MAX_ANCESTRY_DEPTH outputs back is chain[-1-DEPTH]'s.
    watch.conflicted(chain.at(-1 - MAX_ANCESTRY_DEPTH - 1)!.id, 5000);
    expect((await watch.safetyOf([last], read)).get(last.id)?.conflictSeenAt).toBeNull();
    watch.conflicted(chain.at(-1 - MAX_ANCESTRY_DEPTH)!.id, 6000);
    expect((await watch.safetyOf([last], read)).get(last.id)?.conflictSeenAt).toBe(6000);
  });
});

describe('the gossip ledger reports double spends with their evidence', () => {
  it('a spend decided `conflict` comes with the spend it lost to, accepted first; evidence of a known one again', async () => {
    const s = await makeConflictScenario();
    const store = new MemoryLedgerStore();
    const ledger = new Ledger(store, s.net.params);
    const gossip = gossipLedgerOf(ledger, store, () => Date.now());
    await gossip.receive([s.net.genesis.bytes, s.toAlice.bytes]);
    const receipt = await gossip.receive([s.toBob.bytes]);
    expect(receipt.conflicts).toEqual([
      {
        output: s.net.genesis.id,
        txs: [
          { id: s.toAlice.id, bytes: s.toAlice.bytes },
          { id: s.toBob.id, bytes: s.toBob.bytes },
        ],
      },
    ]);
    // The same evidence again (as a CONFLICT frame brings it): duplicates, reported so the wallet hears.
    const again = await gossip.receive([s.toAlice.bytes, s.toBob.bytes]);
    expect(again.conflicts?.map((c) => c.output)).toEqual([s.net.genesis.id]);
    expect((await store.getTx(s.toAlice.id))?.status).toBe('accepted'); // first-seen stands
    const honest = await gossip.receive([s.aliceToCarol.bytes]);
    expect(honest.conflicts).toEqual([]);
  });

  it('remembers when a payment settled, in the store: a watch opened later (a reload) reads it', async () => {
    const s = await makeConflictScenario();
    const read = (ids: string[]) => s.store.getTxs(ids);
    const [record] = (await read([s.aliceToCarol.id])).map((r) => r!);
    const stored = new MemorySettledTimes();
    const watch = new PaymentWatch(OPENED, stored);
    expect((await watch.safetyOf([record!], read)).get(record!.id)?.settledAt).toBeNull();
    await watch.settled([record!.id], 12_000);
    await watch.settled([record!.id], 15_000); // the first time stands
    expect((await watch.safetyOf([record!], read)).get(record!.id)?.settledAt).toBe(12_000);
    const reloaded = new PaymentWatch(50_000, stored);
    expect((await reloaded.safetyOf([record!], read)).get(record!.id)).toEqual({
      firstSeenAt: 50_000,
      conflictSeenAt: null,
      settledAt: 12_000,
    });
  });
});
