// Ledger properties (PROTOCOL §5, §6) on random conflict-free and messy transaction sets delivered in
// random orders (test/support/txSetArbitraries.ts): order independence, supply, ancestry, mutations and
// duplicates. The real Ledger over the real MemoryLedgerStore with real Ed25519 signatures.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordOf } from '../../src/core/ledger.ts';
import { bytesToHex } from '../../src/core/hex.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { remainingOf, type TxRecord } from '../../src/core/txRecord.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import {
  people,
  founder,
  T0,
  NOW,
  GENESIS_TOKENS,
  genesis,
  networkOf,
  freshLedger,
  pay,
  notAccepted,
  stepArb,
  buildConflictFree,
  withExtras,
  MAX_ITEMS,
  deliveryArb,
  arrange,
  replay,
  powUnitArb,
  messySetArb,
  replayMessySet,
} from '../support/txSetArbitraries.ts';

describe('ledger properties (PROTOCOL §5, §6)', () => {
  // Proves that verdicts and balances of a conflict-free set do not depend on arrival order or on how the
  // arrivals are split into receive() calls: orphans always resolve, and every figure matches the ledger
  // that received the set parents-first.
  it('any arrival order of a conflict-free set accepts everything and gives the same balances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 24, size: 'max' }),
        deliveryArb,
        powUnitArb,
        async (steps, delivery, powUnit) => {
          const network = networkOf(powUnit);
          const built = await buildConflictFree(steps, network);
          const { store } = await replay(
            arrange(
              built.txs.map((t) => t.bytes),
              delivery,
            ),
            network,
            false,
          );
          const records = store.all();
          expect(records).toHaveLength(built.txs.length);
          expect(notAccepted(records)).toEqual([]);
          for (const record of records) {
            const expected = (await built.store.getTx(record.id))!;
            expect({ value: record.value, spent: record.spent, mint: record.mint, fee: record.fee }).toEqual({
              value: expected.value,
              spent: expected.spent,
              mint: expected.mint,
              fee: expected.fee,
            });
          }
          expect(store.allBalances()).toEqual(built.store.allBalances());
        },
      ),
      { numRuns: 30 },
    );
  });

  // Proves PROTOCOL §7 "supply can only change through §6": whatever the order, with double spends,
  // held and invalid items mixed in, the sum of balances is genesis tokens + Σ mint − Σ fee of the
  // accepted transactions; each address's balance is what is left of the accepted txs sent to it; and no
  // accepted tx has spent more than its value (spent = Σ cost of its accepted children ≤ value).
  it('supply is conserved: Σ balances = genesis + Σ mint − Σ fee, with conflicts and invalid txs', async () => {
    await fc.assert(
      fc.asyncProperty(messySetArb, async (input) => {
        const { store } = await replayMessySet(input);
        const records = store.all();
        const accepted = records.filter((r) => r.status === 'accepted');
        expect(accepted.map((r) => r.id)).toContain(genesis.id);
        let expectedSupply = BigInt(GENESIS_TOKENS);
        const perAddress = new Map<string, bigint>();
        for (const r of accepted) {
          if (r.prev !== null) expectedSupply += r.mint! - r.fee!;
          perAddress.set(r.to!, (perAddress.get(r.to!) ?? 0n) + remainingOf(r));
          const children = records.filter((c) => c.prev === r.id && c.status === 'accepted');
          expect(r.spent).toBe(children.reduce((sum, c) => sum + c.cost!, 0n));
          expect(r.spent! <= r.value!).toBe(true);
          if (r.prev !== null) {
            expect(r.value).toBe(BigInt(r.tx!.tokens) + r.mint!);
            expect(r.cost).toBe(BigInt(r.tx!.tokens) + r.fee!);
          }
        }
        const balances = store.allBalances();
        const supply = [...balances.values()].reduce((sum, b) => sum + b, 0n);
        expect(supply).toBe(expectedSupply);
        expect(balances).toEqual(new Map([...perAddress].filter(([, b]) => b !== 0n)));
      }),
      { numRuns: 30 },
    );
  });

  // Proves that acceptance is rooted: following prev links from any accepted tx meets only accepted txs
  // and ends at this network's genesis (PROTOCOL §5.7, §5.8).
  it('nothing is accepted whose ancestors are not all accepted', async () => {
    await fc.assert(
      fc.asyncProperty(messySetArb, async (input) => {
        const { store } = await replayMessySet(input);
        for (const record of store.all().filter((r) => r.status === 'accepted')) {
          let at: TxRecord = record;
          for (let depth = 0; at.prev !== null; depth++) {
            expect(depth).toBeLessThan(MAX_ITEMS);
            const parent = await store.getTx(at.prev);
            expect(parent?.status, `ancestor ${at.prev} of accepted ${record.id}`).toBe('accepted');
            at = parent!;
          }
          expect(at.id).toBe(genesis.id);
        }
      }),
      { numRuns: 30 },
    );
  });

  // Proves that nothing but the signed bytes is accepted: flipping, inserting, deleting or replacing
  // bytes of a valid payment always gives `invalid` with a stateless reason (checks 1–5), even though the
  // ledger holds the parent and would accept the original.
  it('byte mutations of a valid tx are never accepted', async () => {
    const mutationArb = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({
        op: fc.constantFrom('insert' as const, 'replace' as const),
        at: fc.nat(),
        // Bytes that keep the text JSON-like are the ones that get furthest through the checks.
        byte: fc.oneof(
          fc.integer({ min: 0, max: 255 }),
          fc.constantFrom(...encodeUtf8('0123456789abcdef"{}:,\\ ')),
        ),
      }),
    );
    type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;
    const mutate = (bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array => {
      const out = [...bytes];
      for (const m of mutations) {
        if (m.op === 'insert') out.splice(m.at % (out.length + 1), 0, m.byte);
        else if (out.length === 0) continue;
        else if (m.op === 'delete') out.splice(m.at % out.length, 1);
        else if (m.op === 'flip') out[m.at % out.length]! ^= 1 << m.bit;
        else out[m.at % out.length] = m.byte;
      }
      return Uint8Array.from(out);
    };
    const reasons = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          tokens: fc.integer({ min: 1, max: GENESIS_TOKENS / 2 }),
          to: fc.nat({ max: people.length - 1 }),
          dt: fc.nat({ max: 60_000 }),
          nonce: fc.option(fc.nat(), { nil: undefined }),
          memo: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        }),
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        async (payment, mutations) => {
          const original = pay(founder, {
            tokens: payment.tokens,
            to: people[payment.to]!.pair.address,
            time: T0 + payment.dt,
            prev: genesis.id,
            ...(payment.nonce === undefined ? {} : { nonce: payment.nonce }),
            ...(payment.memo === undefined ? {} : { memo: payment.memo }),
          });
          const mutated = mutate(original.bytes, mutations);
          const { ledger } = freshLedger(networkOf(1n));
          await ledger.receive([genesis.bytes], NOW);
          const { outcomes } = await ledger.receive([mutated], NOW);
          const record = recordOf(outcomes[0]!);
          if (bytesToHex(mutated) === bytesToHex(original.bytes)) {
            expect(record.status).toBe('accepted'); // the mutations cancelled out
            return;
          }
          expect(record.status).toBe('invalid');
          expect(['too-large', 'malformed', 'non-canonical', 'bad-signature']).toContain(record.reason);
          reasons.add(record.reason!);
        },
      ),
      {
        numRuns: 200,
        // Random mutations reach a non-canonical verdict only now and then; these examples make sure
        // every run meets it (a space after '{') and a malformed one (a deleted '{'). Bad signatures
        // are what most random mutations of hex digits give.
        examples: [
          [
            { tokens: 5, to: 1, dt: 0, nonce: undefined, memo: undefined },
            [{ op: 'insert', at: 1, byte: 0x20 }],
          ],
          [{ tokens: 5, to: 1, dt: 0, nonce: undefined, memo: undefined }, [{ op: 'delete', at: 0 }]],
        ],
      },
    );
    // Mutations must get past parsing into the signature check, or this proves little about check 5.
    expect([...reasons].sort()).toEqual(['bad-signature', 'malformed', 'non-canonical']);
  });

  // Proves that receiving bytes already seen changes nothing: every outcome is `duplicate` with the stored
  // record, no record is created or changed, and the arrival counter and balances stay as they were.
  it('receiving known bytes again is a duplicate and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        messySetArb,
        fc.array(fc.record({ pick: fc.nat(), cut: fc.boolean() }), { minLength: 1, maxLength: 20 }),
        async (input, again) => {
          const network = networkOf(input.powUnit);
          const built = await buildConflictFree(input.steps, network);
          const items = await withExtras(built, input.extras);
          const { store, ledger } = await replay(arrange(items, input.delivery), network, false);
          const before = { records: store.all(), balances: store.allBalances(), meta: await store.getMeta() };
          let call: Uint8Array[] = [];
          for (const [n, { pick, cut }] of again.entries()) {
            call.push(items[pick % items.length]!);
            if (!cut && n < again.length - 1) continue;
            const result = await ledger.receive(call, NOW);
            expect(result.changed).toEqual([]);
            for (const [i, outcome] of result.outcomes.entries()) {
              expect(outcome.kind).toBe('duplicate');
              expect(recordOf(outcome)).toEqual(await store.getTx(outcome.id));
              expect(outcome.id).toBe(txIdOf(call[i]!));
            }
            call = [];
          }
          expect(store.all()).toEqual(before.records);
          expect(store.allBalances()).toEqual(before.balances);
          expect(await store.getMeta()).toEqual(before.meta);
        },
      ),
      { numRuns: 20 },
    );
  });
});
