// Held states (PROTOCOL §5) on hand-made transactions: orphans, futures, and double-spending orphans
// decided in arrival order.
import { describe, expect, it } from 'vitest';
import { recordOf } from '../../src/core/ledger.ts';
import { FUTURE_TOLERANCE_MS } from '../../src/core/tx.ts';
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

const [, alice, bob, carol] = people as [Person, Person, Person, Person];

describe('held states', () => {
  // Proves orphans wait for their parent and are decided when it arrives, children after parents.
  it('a chain received leaf-first is held as orphans and accepted when its root arrives', async () => {
    const { store, ledger } = freshLedger(networkOf(1n));
    await ledger.receive([genesis.bytes], NOW);
    const a = pay(founder, { tokens: 3000, to: alice.pair.address, time: T0 + 1, prev: genesis.id });
    const b = pay(alice, { tokens: 2000, to: bob.pair.address, time: T0 + 2, prev: a.id });
    const c = pay(bob, { tokens: 1000, to: carol.pair.address, time: T0 + 3, prev: b.id });
    const first = await ledger.receive([c.bytes], NOW);
    expect(recordOf(first.outcomes[0]!)).toMatchObject({ status: 'orphan', waitingOn: b.id });
    const second = await ledger.receive([b.bytes], NOW);
    expect(recordOf(second.outcomes[0]!)).toMatchObject({ status: 'orphan', waitingOn: a.id });
    expect((await store.getTx(c.id))?.status).toBe('orphan');
    const last = await ledger.receive([a.bytes], NOW);
    expect(last.changed.map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([
        [a.id, 'accepted'],
        [b.id, 'accepted'],
        [c.id, 'accepted'],
      ]),
    );
    for (const t of [a, b, c]) expect(await store.getTx(t.id)).not.toHaveProperty('waitingOn');
    expect(await store.getBalance(carol.pair.address)).toBe(1000n + (await store.getTx(c.id))!.mint!);
  });

  // Proves PROTOCOL §5.11: more than 10 minutes ahead is `future` until the clock reaches tx.time − 10 min,
  // exactly 10 minutes ahead is decided at once, and a child of a future tx is decided with it.
  it('a tx more than 10 minutes ahead is future, and advanceClock decides it', async () => {
    const { store, ledger } = freshLedger(networkOf(1n));
    const ahead = NOW + FUTURE_TOLERANCE_MS;
    const future = pay(founder, { tokens: 100, to: alice.pair.address, time: ahead + 1, prev: genesis.id });
    const child = pay(alice, { tokens: 50, to: bob.pair.address, time: ahead + 1, prev: future.id });
    const onTheEdge = pay(founder, { tokens: 100, to: bob.pair.address, time: ahead, prev: genesis.id });
    await ledger.receive([genesis.bytes, future.bytes, child.bytes, onTheEdge.bytes], NOW);
    expect(await store.getTx(future.id)).toMatchObject({ status: 'future', dueAt: NOW + 1 });
    expect(await store.getTx(child.id)).toMatchObject({ status: 'orphan', waitingOn: future.id });
    expect((await store.getTx(onTheEdge.id))?.status).toBe('accepted');
    expect(await ledger.advanceClock(NOW)).toEqual([]);
    expect((await store.getTx(future.id))?.status).toBe('future');
    const decided = await ledger.advanceClock(NOW + 1);
    expect(decided.map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([
        [future.id, 'accepted'],
        [child.id, 'accepted'],
      ]),
    );
    expect(await store.getTx(future.id)).not.toHaveProperty('dueAt');
  });

  // Proves receive() also decides the futures that fell due by its `now`, before the new items.
  it('a later receive() decides due futures first', async () => {
    const { store, ledger } = freshLedger(networkOf(1n));
    const future = pay(founder, {
      tokens: 100,
      to: alice.pair.address,
      time: NOW + FUTURE_TOLERANCE_MS + 5,
      prev: genesis.id,
    });
    await ledger.receive([genesis.bytes, future.bytes], NOW);
    expect((await store.getTx(future.id))?.status).toBe('future');
    const spend = pay(alice, {
      tokens: 60,
      to: bob.pair.address,
      time: NOW + FUTURE_TOLERANCE_MS + 5,
      prev: future.id,
    });
    const result = await ledger.receive([spend.bytes], NOW + 5);
    expect((await store.getTx(future.id))?.status).toBe('accepted');
    expect(recordOf(result.outcomes[0]!).status).toBe('accepted');
  });

  // Proves the first-seen rule holds for held txs: two orphans double-spending one parent are decided in
  // their arrival order when it arrives; the first wins and the second is a conflict naming the winner.
  describe('two double-spending orphans are decided in arrival order', () => {
    const p = pay(founder, { tokens: 1000, to: alice.pair.address, time: T0 + 1, prev: genesis.id });
    const toBob = pay(alice, { tokens: 600, to: bob.pair.address, time: T0 + 2, prev: p.id });
    const toCarol = pay(alice, { tokens: 700, to: carol.pair.address, time: T0 + 2, prev: p.id });
    for (const [first, second] of [
      [toBob, toCarol],
      [toCarol, toBob],
    ] as const) {
      for (const calls of ['one call each', 'both in one call', 'parent in the same call'] as const) {
        it(`${first === toBob ? 'bob' : 'carol'}'s first, ${calls}`, async () => {
          const { store, ledger } = freshLedger(networkOf(1n));
          await ledger.receive([genesis.bytes], NOW);
          if (calls === 'parent in the same call') {
            await ledger.receive([first.bytes, second.bytes, p.bytes], NOW);
          } else {
            if (calls === 'one call each') {
              await ledger.receive([first.bytes], NOW);
              await ledger.receive([second.bytes], NOW);
            } else await ledger.receive([first.bytes, second.bytes], NOW);
            expect((await store.getTx(first.id))?.status).toBe('orphan');
            expect((await store.getTx(second.id))?.status).toBe('orphan');
            await ledger.receive([p.bytes], NOW);
          }
          expect((await store.getTx(first.id))?.status).toBe('accepted');
          expect(await store.getTx(second.id)).toMatchObject({
            status: 'conflict',
            conflictWith: [first.id],
          });
        });
      }
    }
  });
});
