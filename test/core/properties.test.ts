// Properties of the protocol core (PROTOCOL §2–§6) checked with fast-check on random transaction sets,
// random arrival orders, random bytes and random strings. Every ledger here is the real Ledger over the
// real MemoryLedgerStore with real Ed25519 signatures: nothing is mocked. Sizes are kept small (at most
// 29 items per set, tens of runs) because every signature costs about a millisecond.
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressOfKey } from '../../src/core/address.ts';
import { canonicalJson } from '../../src/core/canonicalJson.ts';
import { checkTxBytes } from '../../src/core/checkTx.ts';
import { decideTx } from '../../src/core/decideTx.ts';
import { bytesToHex } from '../../src/core/hex.ts';
import { Ledger, recordOf } from '../../src/core/ledger.ts';
import {
  encodeTx,
  encodeWithId,
  keyPairOf,
  signTx,
  type EncodedTx,
  type KeyPair,
} from '../../src/core/makeTx.ts';
import { mineNonce } from '../../src/core/mineNonce.ts';
import type { NetworkParams } from '../../src/core/network.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import {
  FUTURE_TOLERANCE_MS,
  MAX_MEMO_BYTES,
  MAX_SAFE,
  MAX_TX_BYTES,
  type Tx,
  type UnsignedTx,
} from '../../src/core/tx.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { remainingOf, statusChangesOf, type LedgerChanges, type TxRecord } from '../../src/core/txRecord.ts';
import { decodeUtf8Strict, encodeUtf8 } from '../../src/core/utf8.ts';
import { workBase } from '../../src/core/work.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { v1 } from '../support/vectors.ts';

// ---------------------------------------------------------------------------------------------------------
// Shared fixtures: the vectors' people (secret key = SHA-256 of the seed text), a genesis made here.

interface Person {
  readonly name: string;
  readonly secret: Uint8Array;
  readonly pair: KeyPair;
}

const people: Person[] = Object.entries(v1.people).map(([name, person]) => {
  const secret = sha256(encodeUtf8(person.seedText));
  return { name, secret, pair: keyPairOf(secret) };
});
const founder = people[0]!;
const ownerOf = new Map(people.map((p) => [p.pair.address, p]));

const T0 = Date.parse('2026-01-01T00:00:00Z');
/** Node time of every replay: later than any generated tx time except the deliberate futures. */
const NOW = T0 + 60 * 60 * 1000;
/** A clock far enough ahead that every held `future` is due. */
const LATER = NOW + 24 * 60 * 60 * 1000;
const GENESIS_TOKENS = 10_000;

/**
 * The genesis, mined to 6 bits of work so that its children's branch base is 6 and fees are common
 * (PROTOCOL §6); with an unmined genesis almost every figure would be 0 or 1.
 */
const genesis: EncodedTx = (() => {
  const unsigned: UnsignedTx = {
    tokens: GENESIS_TOKENS,
    to: founder.pair.address,
    key: founder.pair.publicKey,
    time: T0,
    prev: null,
  };
  let nonce = 0;
  for (const state of mineNonce(workBase(unsigned), 6)) if (state.found) nonce = state.bestNonce;
  return encodeWithId(signTx({ ...unsigned, nonce }, founder.secret));
})();

function networkOf(powUnit: bigint): NetworkParams {
  return { genesisId: genesis.id, powUnit };
}

function freshLedger(network: NetworkParams): { store: MemoryLedgerStore; ledger: Ledger } {
  const store = new MemoryLedgerStore();
  return { store, ledger: new Ledger(store, network) };
}

function pay(from: Person, unsigned: Omit<UnsignedTx, 'key'>): EncodedTx {
  return encodeWithId(signTx({ ...unsigned, key: from.pair.publicKey }, from.secret));
}

/** A short description of every record not accepted, for failure messages. */
function notAccepted(records: TxRecord[]): string[] {
  return records.filter((r) => r.status !== 'accepted').map((r) => `${r.id} ${r.status} ${r.reason ?? ''}`);
}

// ---------------------------------------------------------------------------------------------------------
// Random transaction sets.

/** One payment of a conflict-free set: which spendable tx it spends from, to whom, how much of what is left. */
interface Step {
  readonly from: number;
  readonly to: number;
  readonly share: number;
  readonly dt: number;
  readonly nonce: number | null;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  from: fc.nat(),
  to: fc.nat({ max: people.length - 1 }),
  share: fc.integer({ min: 1, max: 100 }),
  dt: fc.nat({ max: 60_000 }),
  nonce: fc.option(fc.nat({ max: 1_000_000 }), { nil: null }),
});

interface Built {
  /** Genesis first, then every payment, in the order they were made (parents before children). */
  readonly txs: EncodedTx[];
  /** The ledger they were made against, received in that order. */
  readonly store: MemoryLedgerStore;
}

/**
 * Builds a conflict-free set: each payment spends from an accepted tx owned by its signer and costs at
 * most what is left of it. The fee depends on the payment's own hash (PROTOCOL §6), so the amount is found
 * by asking decideTx and stepping down; each payment is then received by a builder ledger, which must
 * accept it (that ledger's answers are what the replays are compared with).
 */
async function buildConflictFree(steps: readonly Step[], network: NetworkParams): Promise<Built> {
  const { store, ledger } = freshLedger(network);
  await ledger.receive([genesis.bytes], NOW);
  const txs: EncodedTx[] = [genesis];
  for (const step of steps) {
    const records = await Promise.all(txs.map(async (t) => (await store.getTx(t.id))!));
    const spendable = records.filter((r) => remainingOf(r) > 0n);
    if (spendable.length === 0) break;
    const parent = spendable[step.from % spendable.length]!;
    const signer = ownerOf.get(parent.to!)!;
    const left = remainingOf(parent);
    let tokens = Math.max(1, Math.floor((Number(left) * step.share) / 100));
    for (let attempt = 0; attempt < 8 && tokens >= 1; attempt++) {
      const unsigned: UnsignedTx = {
        tokens,
        to: people[step.to]!.pair.address,
        key: signer.pair.publicKey,
        time: parent.tx!.time + step.dt,
        prev: parent.id,
        ...(step.nonce === null ? {} : { nonce: step.nonce }),
      };
      const decision = decideTx('', { ...unsigned, signature: '' }, parent, network, NOW);
      if (decision.status === 'accepted') {
        const made = encodeWithId(signTx(unsigned, signer.secret));
        const { outcomes } = await ledger.receive([made.bytes], NOW);
        expect(recordOf(outcomes[0]!).status, 'the builder ledger accepts what decideTx accepted').toBe(
          'accepted',
        );
        txs.push(made);
        break;
      }
      // Over what is left: `conflict`, or `overspend` when over the parent's whole value.
      if (
        decision.status !== 'conflict' &&
        !(decision.status === 'invalid' && decision.reason === 'overspend')
      ) {
        throw new Error(
          `unexpected decision while building: ${JSON.stringify(decision, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}`,
        );
      }
      tokens = Number(left - decision.fee) - attempt; // the hash, and with it the fee, changes with tokens
    }
  }
  return { txs, store };
}

/** Kinds of extra items added to a conflict-free set to make conflicts, held and invalid transactions. */
const EXTRA_KINDS = [
  'spend', // a payment from any tx, owned correctly, not checked against what is left: a double spend
  'wrong-owner',
  'time-before-prev',
  'overspend',
  'bad-signature',
  'not-genesis',
  'orphan', // its parent never arrives
  'future', // more than 10 minutes ahead of NOW; decided by advanceClock(LATER)
  'non-canonical',
  'malformed',
  'too-large',
  'duplicate',
] as const;

interface Extra {
  readonly kind: (typeof EXTRA_KINDS)[number];
  readonly from: number;
  readonly who: number;
  readonly share: number;
  readonly dt: number;
}

const extraArb: fc.Arbitrary<Extra> = fc.record({
  // Spends weigh most: they make the double spends, and children of double spends make cascades.
  kind: fc.oneof({ weight: 3, arbitrary: fc.constant('spend' as const) }, fc.constantFrom(...EXTRA_KINDS)),
  from: fc.nat(),
  who: fc.nat({ max: people.length - 1 }),
  share: fc.integer({ min: 1, max: 100 }),
  dt: fc.nat({ max: 60_000 }),
});

/** A transaction extras may spend from, with the value it has if accepted (estimated for extras). */
interface Spendable {
  readonly id: string;
  readonly tx: Tx;
  readonly value: number;
}

/** Adds extras to a built set; extras that spend become spendable themselves, so conflicts cascade. */
async function withExtras(built: Built, extras: readonly Extra[]): Promise<Uint8Array[]> {
  const items = built.txs.map((t) => t.bytes);
  const spendable: Spendable[] = await Promise.all(
    built.txs.map(async (t) => ({
      id: t.id,
      tx: t.tx,
      value: Number((await built.store.getTx(t.id))!.value),
    })),
  );
  extras.forEach((extra, n) => {
    const parent = spendable[extra.from % spendable.length]!;
    const owner = ownerOf.get(parent.tx.to)!;
    const other = people[extra.who === people.indexOf(owner) ? (extra.who + 1) % people.length : extra.who]!;
    const tokens = Math.max(1, Math.floor((parent.value * extra.share) / 100));
    const payment = {
      tokens,
      to: people[extra.who]!.pair.address,
      time: parent.tx.time + extra.dt,
      prev: parent.id,
    };
    const spend = (): EncodedTx => pay(owner, payment);
    switch (extra.kind) {
      case 'spend':
      case 'future': {
        const made =
          extra.kind === 'spend'
            ? spend()
            : pay(owner, { ...payment, time: NOW + FUTURE_TOLERANCE_MS + 1 + extra.dt });
        items.push(made.bytes);
        spendable.push({ id: made.id, tx: made.tx, value: tokens });
        return;
      }
      case 'wrong-owner':
        items.push(pay(other, payment).bytes);
        return;
      case 'time-before-prev':
        items.push(pay(owner, { ...payment, time: parent.tx.time - 1 - extra.dt }).bytes);
        return;
      case 'overspend':
        items.push(pay(owner, { ...payment, tokens: parent.value + extra.share }).bytes);
        return;
      case 'bad-signature': {
        const made = spend();
        // One hex digit changed: still 128 lowercase hex, so only check 5 can catch it.
        const signature = made.tx.signature;
        const at = extra.dt % signature.length;
        const swapped = signature[at] === '0' ? '1' : '0';
        const forged = { ...made.tx, signature: signature.slice(0, at) + swapped + signature.slice(at + 1) };
        items.push(encodeTx(forged));
        return;
      }
      case 'not-genesis':
        items.push(pay(other, { ...payment, prev: null }).bytes);
        return;
      case 'orphan': {
        const missing = bytesToHex(sha256(encodeUtf8(`never sent ${n}`))).slice(0, 40);
        items.push(pay(owner, { ...payment, prev: missing }).bytes);
        return;
      }
      case 'non-canonical':
        items.push(encodeUtf8(' ' + new TextDecoder().decode(spend().bytes)));
        return;
      case 'malformed':
        items.push(spend().bytes.subarray(0, -1));
        return;
      case 'too-large': {
        const padded = new Uint8Array(MAX_TX_BYTES + 1 + extra.share).fill(0x20);
        padded.set(spend().bytes);
        items.push(padded);
        return;
      }
      case 'duplicate':
        items.push(items[extra.from % items.length]!);
        return;
    }
  });
  return items;
}

/** How a replay delivers items: `key` orders them, `cut` ends a receive() call after the item. */
interface Delivery {
  readonly key: number;
  readonly cut: boolean;
}

const MAX_ITEMS = 64;
const deliveryArb: fc.Arbitrary<Delivery[]> = fc.array(fc.record({ key: fc.nat(), cut: fc.boolean() }), {
  minLength: MAX_ITEMS,
  maxLength: MAX_ITEMS,
});

/** Items in the delivery's order (by key, ties by index), cut into receive() calls. */
function arrange(items: readonly Uint8Array[], delivery: readonly Delivery[]): Uint8Array[][] {
  if (items.length > MAX_ITEMS) throw new Error(`at most ${MAX_ITEMS} items, got ${items.length}`);
  const order = items.map((_, i) => i).sort((a, b) => delivery[a]!.key - delivery[b]!.key || a - b);
  const calls: Uint8Array[][] = [[]];
  for (const i of order) {
    calls.at(-1)!.push(items[i]!);
    if (delivery[i]!.cut) calls.push([]);
  }
  return calls.filter((call) => call.length > 0);
}

/** Receives the calls in order into a fresh ledger at NOW, then optionally advances its clock. */
async function replay(
  calls: readonly Uint8Array[][],
  network: NetworkParams,
  advance: boolean,
): Promise<{ store: MemoryLedgerStore; ledger: Ledger }> {
  const fresh = freshLedger(network);
  for (const call of calls) await fresh.ledger.receive(call, NOW);
  if (advance) await fresh.ledger.advanceClock(LATER);
  return fresh;
}

const powUnitArb = fc.constantFrom(1n, 7n);

/** A random set with conflicts and invalid items, delivered in a random order. */
const messySetArb = fc.record({
  steps: fc.array(stepArb, { maxLength: 12, size: 'max' }),
  extras: fc.array(extraArb, { maxLength: 16, size: 'max' }),
  delivery: deliveryArb,
  powUnit: powUnitArb,
});

type MessySet = typeof messySetArb extends fc.Arbitrary<infer T> ? T : never;

async function replayMessySet(input: MessySet): Promise<{ store: MemoryLedgerStore; ledger: Ledger }> {
  const network = networkOf(input.powUnit);
  const built = await buildConflictFree(input.steps, network);
  const items = await withExtras(built, input.extras);
  return replay(arrange(items, input.delivery), network, true);
}

// ---------------------------------------------------------------------------------------------------------

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

describe('batched and one-by-one receive (src/core/ledgerBatch.ts)', () => {
  /** The memory store, adding up the status changes of every commit as a store keeping counts would. */
  class CountingStore extends MemoryLedgerStore {
    readonly counted: Record<string, number> = {};
    override async commit(changes: LedgerChanges): Promise<void> {
      const { delta } = statusChangesOf(changes.records, changes.previousStatus!);
      for (const [status, n] of Object.entries(delta)) {
        this.counted[status] = (this.counted[status] ?? 0) + n;
      }
      return super.commit(changes);
    }
  }

  async function replayCounting(calls: readonly Uint8Array[][], network: NetworkParams) {
    const store = new CountingStore();
    const ledger = new Ledger(store, network);
    await ledger.receive([genesis.bytes], NOW);
    const outcomes = [];
    for (const call of calls) outcomes.push(...(await ledger.receive(call, NOW)).outcomes);
    await ledger.advanceClock(LATER);
    return { store, outcomes };
  }

  // Proves the batch's read view (prefetched ids and parents, remembered store reads) changes no verdict:
  // the same arrivals give the same records, outcomes and balances whether they come in the delivery's
  // calls, all in one call, or one per call; and the status counts the batches report add up to the
  // records' real statuses.
  it('give identical records, outcomes, balances and status counts', async () => {
    await fc.assert(
      fc.asyncProperty(messySetArb, async (input) => {
        const network = networkOf(input.powUnit);
        const built = await buildConflictFree(input.steps, network);
        const items = await withExtras(built, input.extras);
        const calls = arrange(items, input.delivery);
        const arrivals = calls.flat();
        const runs = await Promise.all([
          replayCounting(calls, network),
          replayCounting([arrivals], network),
          replayCounting(
            arrivals.map((item) => [item]),
            network,
          ),
        ]);
        const [first, ...others] = runs.map(({ store, outcomes }) => ({
          records: store.all(),
          balances: store.allBalances(),
          outcomes,
        }));
        for (const other of others) expect(other).toEqual(first);
        for (const { store } of runs) {
          const counts = await store.statusCounts();
          const nonZero = (c: Record<string, number>) => Object.entries(c).filter(([, n]) => n !== 0);
          expect(nonZero(store.counted).sort()).toEqual(nonZero(counts).sort());
        }
      }),
      { numRuns: 25 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Bytes and strings.

/** One UTF-16 unit or code point of any kind: well-formed code points and lone surrogates alike. */
const anyCharUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);

/** Characters JSON escapes or that sit at UTF-8 and UTF-16 boundaries. */
const trickyUnit = fc.constantFrom(
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u07ff',
  '\u0800',
  '\u2028',
  '\u2029',
  '\ud7ff',
  '\ue000',
  '\ufeff',
  '\uffff',
  '\u{10000}',
  '\u{10ffff}',
  'é',
  '€',
  '😀',
  '<',
);

/** The longest prefix of `text`, by whole code points, whose UTF-8 is at most `max` bytes. */
function truncateUtf8(text: string, max: number): string {
  let out = '';
  let length = 0;
  for (const char of text) {
    length += encodeUtf8(char).length;
    if (length > max) break;
    out += char;
  }
  return out;
}

const hexArb = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(bytesToHex);
const addressArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(addressOfKey);

/** Values that are wrong, or right only for some fields, or at the edge of a field's range. */
const oddValueArb = fc.oneof(
  fc.constantFrom(0, -1, 1, -0, 0.5, 1e21, MAX_SAFE, MAX_SAFE + 1, MAX_SAFE + 2, null, true, '', 'ttx1'),
  hexArb(20),
  hexArb(32).map((h) => h.toUpperCase()),
  hexArb(31),
  hexArb(64),
  addressArb.map((a) => a.slice(0, -1) + (a.endsWith('q') ? 'p' : 'q')),
  fc.string({ unit: anyCharUnit, maxLength: 300 }),
  fc.jsonValue({ maxDepth: 1 }),
);

/**
 * tx.json-shaped texts: a valid field set with 0–3 fields replaced by odd values, deleted or added, and
 * written canonically or not. About a third stay valid, so every check of §5.1–§5.4 is reached.
 */
const txLikeTextArb = fc
  .tuple(
    fc.record({
      tokens: fc.integer({ min: 1, max: MAX_SAFE }),
      to: addressArb,
      key: hexArb(32),
      time: fc.integer({ min: 0, max: MAX_SAFE }),
      prev: fc.option(hexArb(20), { nil: null }),
      nonce: fc.option(fc.nat(), { nil: undefined }),
      memo: fc.option(
        fc.oneof(
          fc.string({ unit: anyCharUnit, maxLength: 100 }),
          fc.string({ unit: trickyUnit, maxLength: 300 }),
          // Long memos of escaped characters: canonical text over 1024 bytes (too-large).
          fc.string({ unit: trickyUnit, minLength: 150, maxLength: 300 }),
        ),
        { nil: undefined },
      ),
      signature: hexArb(64),
    }),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'tokens',
          'to',
          'key',
          'time',
          'prev',
          'nonce',
          'memo',
          'signature',
          'extra',
          'Tokens',
        ),
        fc.option(oddValueArb, { nil: undefined }), // undefined deletes the field
      ),
      { maxLength: 3 },
    ),
  )
  .map(([fields, changes]) => {
    const value: Record<string, unknown> = { ...fields };
    for (const [name, odd] of changes) value[name] = odd;
    for (const name of Object.keys(value)) if (value[name] === undefined) delete value[name];
    return value;
  })
  .chain((value) =>
    fc.oneof(
      // The canonical text when there is one (no lone surrogate), else JSON.stringify's.
      { weight: 4, arbitrary: fc.constant(canonicalJson(value) ?? JSON.stringify(value)) },
      fc.constant(JSON.stringify(value)),
      fc.constant(JSON.stringify(value, null, 1)),
      // A member named __proto__ (an ordinary member by PROTOCOL §5.3), and a repeated member.
      fc.constant((canonicalJson(value) ?? '{}').replace('{', '{"__proto__":{},')),
      fc.constant((canonicalJson(value) ?? '{}').replace('{', '{"key":1,')),
    ),
  );

const PARSE_REASONS = ['too-large', 'malformed', 'non-canonical'];

/** parseTx's whole contract on one input: it returns, and what it returns fits the input. */
function checkParse(bytes: Uint8Array): void {
  const result = parseTx(bytes);
  if (result.ok) {
    expect(bytes.length).toBeLessThanOrEqual(MAX_TX_BYTES);
    // Only canonical bytes parse: re-encoding the parsed tx gives the very same bytes (PROTOCOL §2).
    expect(bytesToHex(encodeTx(result.tx))).toBe(bytesToHex(bytes));
  } else {
    expect(PARSE_REASONS).toContain(result.reason);
    expect(result.reason === 'too-large').toBe(bytes.length > MAX_TX_BYTES);
    expect(typeof result.detail).toBe('string');
  }
}

describe('parseTx is total (PROTOCOL §5.1–§5.4)', () => {
  // Each proves: parseTx never throws, answers ok or one of its three reasons, too-large exactly above
  // 1024 bytes, and ok only for canonical bytes. The sources differ in how far they get into the checks.
  it('on random bytes up to 1100', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1100 }), checkParse), { numRuns: 2000 });
  });
  it('on random strings of any code units (lone surrogates too)', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCharUnit, maxLength: 600 }), (text) => checkParse(encodeUtf8(text))),
      { numRuns: 1000 },
    );
  });
  it('on random JSON texts', () => {
    fc.assert(
      fc.property(fc.json(), (text) => checkParse(encodeUtf8(text))),
      { numRuns: 1000 },
    );
  });
  it('on tx-shaped objects with good and bad fields', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(txLikeTextArb, (text) => {
        const bytes = encodeUtf8(text);
        checkParse(bytes);
        const result = parseTx(bytes);
        seen.add(result.ok ? 'ok' : result.reason);
      }),
      { numRuns: 2000 },
    );
    // The generator must reach every outcome, the happy path of check 4 included, or this proves little.
    expect([...seen].sort()).toEqual(['malformed', 'non-canonical', 'ok', 'too-large']);
  });
});

describe('UTF-8 (src/core/utf8.ts) agrees with TextDecoder and TextEncoder', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const reference = (bytes: Uint8Array): string | undefined => {
    try {
      return decoder.decode(bytes);
    } catch {
      return undefined;
    }
  };
  /** Bytes near UTF-8's edges: overlong leads, surrogate and > U+10FFFF leads, continuation bytes. */
  const edgeByte = fc.oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0xbf }),
    fc.integer({ min: 0xc0, max: 0xff }),
    fc.constantFrom(
      0xc0,
      0xc1,
      0xc2,
      0xdf,
      0xe0,
      0xed,
      0xee,
      0xef,
      0xf0,
      0xf4,
      0xf5,
      0xff,
      0x80,
      0x8f,
      0x90,
      0x9f,
      0xa0,
      0xbf,
    ),
  );
  const bytesArb = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.array(edgeByte, { maxLength: 24 }).map((b) => Uint8Array.from(b)),
    fc.string({ unit: anyCharUnit, maxLength: 40 }).map(encodeUtf8),
    // Valid UTF-8 with one byte replaced: mostly breaks a sequence in a different place.
    fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.nat(), edgeByte)
      .map(([text, at, byte]) => {
        const bytes = Uint8Array.from(new TextEncoder().encode(text));
        bytes[at % bytes.length] = byte;
        return bytes;
      }),
    // An ASCII run longer than one chunk of the decoder's fast path, with a multibyte tail.
    fc.tuple(fc.integer({ min: 1, max: 5000 }), edgeByte, edgeByte).map(([n, a, b]) => {
      const bytes = new Uint8Array(n + 2).fill(0x61);
      bytes[n] = a;
      bytes[n + 1] = b;
      return bytes;
    }),
  );

  // Proves decodeUtf8Strict is undefined exactly when the fatal TextDecoder throws, and the same
  // string otherwise (a leading BOM kept, as ignoreBOM does).
  it('decodeUtf8Strict ≡ TextDecoder(fatal, ignoreBOM)', () => {
    fc.assert(
      fc.property(bytesArb, (bytes) => {
        expect(decodeUtf8Strict(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 5000 },
    );
  });
  // Proves encodeUtf8 gives TextEncoder's bytes on any string, lone surrogates (→ U+FFFD) included.
  it('encodeUtf8 ≡ TextEncoder', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: anyCharUnit, maxLength: 60 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
        ),
        (text) => {
          expect(bytesToHex(encodeUtf8(text))).toBe(bytesToHex(encoder.encode(text)));
        },
      ),
      { numRuns: 5000 },
    );
  });
  // Proves the two are inverse on well-formed strings.
  it('decodeUtf8Strict(encodeUtf8(s)) = s for well-formed s', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(decodeUtf8Strict(encodeUtf8(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encode → parse → encode (PROTOCOL §2)', () => {
  const memoArb = fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 280 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.string({ unit: trickyUnit, maxLength: 280 }),
      fc.constantFrom('x'.repeat(MAX_MEMO_BYTES), '€'.repeat(93) + 'a', '😀'.repeat(70), ''),
    )
    .map((memo) => truncateUtf8(memo, MAX_MEMO_BYTES));
  const txArb = fc.record({
    secret: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    tokens: fc.oneof(fc.integer({ min: 1, max: MAX_SAFE }), fc.constantFrom(1, MAX_SAFE)),
    to: addressArb,
    time: fc.oneof(fc.integer({ min: 0, max: MAX_SAFE }), fc.constantFrom(0, MAX_SAFE)),
    prev: fc.option(hexArb(20), { nil: null }),
    nonce: fc.option(fc.oneof(fc.integer({ min: 0, max: MAX_SAFE }), fc.constantFrom(0, MAX_SAFE)), {
      nil: undefined,
    }),
    memo: fc.option(memoArb, { nil: undefined }),
  });

  // Proves a signed tx's canonical bytes parse back to the same tx, re-encode to the same bytes and pass
  // checks 1–5 under the same id; or, when escapes push them over 1024 bytes, are too-large.
  it('random signed txs round-trip byte for byte', async () => {
    let tooLarge = 0;
    await fc.assert(
      fc.asyncProperty(txArb, async ({ secret, nonce, memo, ...fields }) => {
        const pair = keyPairOf(secret);
        const unsigned: UnsignedTx = {
          ...fields,
          key: pair.publicKey,
          ...(nonce === undefined ? {} : { nonce }),
          ...(memo === undefined ? {} : { memo }),
        };
        const tx = signTx(unsigned, secret);
        const bytes = encodeTx(tx);
        const parsed = parseTx(bytes);
        if (bytes.length > MAX_TX_BYTES) {
          tooLarge++;
          expect(parsed).toMatchObject({ ok: false, reason: 'too-large' });
          return;
        }
        if (!parsed.ok) throw new Error(`did not parse (${parsed.reason}: ${parsed.detail})`);
        expect(parsed.tx).toEqual(tx);
        expect(bytesToHex(encodeTx(parsed.tx))).toBe(bytesToHex(bytes));
        expect(await checkTxBytes(bytes)).toMatchObject({ ok: true, id: txIdOf(bytes) });
      }),
      { numRuns: 300 },
    );
    expect(tooLarge).toBeLessThan(300); // most runs must take the round-trip branch
  });
});

// ---------------------------------------------------------------------------------------------------------
// Held states and duplicates (PROTOCOL §5), on hand-made transactions.

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
