// Shared fixtures and fast-check arbitraries for ledger properties: the vectors' people (secret key =
// SHA-256 of the seed text), a genesis mined to 6 bits, conflict-free sets, extras that make conflicts,
// held and invalid transactions, and random deliveries of them into a fresh ledger.
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { expect } from 'vitest';
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
import { FUTURE_TOLERANCE_MS, MAX_TX_BYTES, type Tx, type UnsignedTx } from '../../src/core/tx.ts';
import { remainingOf, type TxRecord } from '../../src/core/txRecord.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { workBase } from '../../src/core/work.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { v1 } from './vectors.ts';

// ---------------------------------------------------------------------------------------------------------
// Shared fixtures: the vectors' people (secret key = SHA-256 of the seed text), a genesis made here.

export interface Person {
  readonly name: string;
  readonly secret: Uint8Array;
  readonly pair: KeyPair;
}

export const people: Person[] = Object.entries(v1.people).map(([name, person]) => {
  const secret = sha256(encodeUtf8(person.seedText));
  return { name, secret, pair: keyPairOf(secret) };
});
export const founder = people[0]!;
export const ownerOf = new Map(people.map((p) => [p.pair.address, p]));

export const T0 = Date.parse('2026-01-01T00:00:00Z');
/** Node time of every replay: later than any generated tx time except the deliberate futures. */
export const NOW = T0 + 60 * 60 * 1000;
/** A clock far enough ahead that every held `future` is due. */
export const LATER = NOW + 24 * 60 * 60 * 1000;
export const GENESIS_TOKENS = 10_000;

/**
 * The genesis, mined to 6 bits of work so that its children's branch base is 6 and fees are common
 * (PROTOCOL §6); with an unmined genesis almost every figure would be 0 or 1.
 */
export const genesis: EncodedTx = (() => {
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

export function networkOf(powUnit: bigint): NetworkParams {
  return { genesisId: genesis.id, powUnit };
}

export function freshLedger(network: NetworkParams): { store: MemoryLedgerStore; ledger: Ledger } {
  const store = new MemoryLedgerStore();
  return { store, ledger: new Ledger(store, network) };
}

export function pay(from: Person, unsigned: Omit<UnsignedTx, 'key'>): EncodedTx {
  return encodeWithId(signTx({ ...unsigned, key: from.pair.publicKey }, from.secret));
}

/** A short description of every record not accepted, for failure messages. */
export function notAccepted(records: TxRecord[]): string[] {
  return records.filter((r) => r.status !== 'accepted').map((r) => `${r.id} ${r.status} ${r.reason ?? ''}`);
}

// Random transaction sets.

/** One payment of a conflict-free set: which spendable tx it spends from, to whom, how much of what is left. */
export interface Step {
  readonly from: number;
  readonly to: number;
  readonly share: number;
  readonly dt: number;
  readonly nonce: number | null;
}

export const stepArb: fc.Arbitrary<Step> = fc.record({
  from: fc.nat(),
  to: fc.nat({ max: people.length - 1 }),
  share: fc.integer({ min: 1, max: 100 }),
  dt: fc.nat({ max: 60_000 }),
  nonce: fc.option(fc.nat({ max: 1_000_000 }), { nil: null }),
});

export interface Built {
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
export async function buildConflictFree(steps: readonly Step[], network: NetworkParams): Promise<Built> {
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
export const EXTRA_KINDS = [
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

export interface Extra {
  readonly kind: (typeof EXTRA_KINDS)[number];
  readonly from: number;
  readonly who: number;
  readonly share: number;
  readonly dt: number;
}

export const extraArb: fc.Arbitrary<Extra> = fc.record({
  // Spends weigh most: they make the double spends, and children of double spends make cascades.
  kind: fc.oneof({ weight: 3, arbitrary: fc.constant('spend' as const) }, fc.constantFrom(...EXTRA_KINDS)),
  from: fc.nat(),
  who: fc.nat({ max: people.length - 1 }),
  share: fc.integer({ min: 1, max: 100 }),
  dt: fc.nat({ max: 60_000 }),
});

/** A transaction extras may spend from, with the value it has if accepted (estimated for extras). */
export interface Spendable {
  readonly id: string;
  readonly tx: Tx;
  readonly value: number;
}

/** Adds extras to a built set; extras that spend become spendable themselves, so conflicts cascade. */
export async function withExtras(built: Built, extras: readonly Extra[]): Promise<Uint8Array[]> {
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
export interface Delivery {
  readonly key: number;
  readonly cut: boolean;
}

export const MAX_ITEMS = 64;
export const deliveryArb: fc.Arbitrary<Delivery[]> = fc.array(
  fc.record({ key: fc.nat(), cut: fc.boolean() }),
  {
    minLength: MAX_ITEMS,
    maxLength: MAX_ITEMS,
  },
);

/** Items in the delivery's order (by key, ties by index), cut into receive() calls. */
export function arrange(items: readonly Uint8Array[], delivery: readonly Delivery[]): Uint8Array[][] {
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
export async function replay(
  calls: readonly Uint8Array[][],
  network: NetworkParams,
  advance: boolean,
): Promise<{ store: MemoryLedgerStore; ledger: Ledger }> {
  const fresh = freshLedger(network);
  for (const call of calls) await fresh.ledger.receive(call, NOW);
  if (advance) await fresh.ledger.advanceClock(LATER);
  return fresh;
}

export const powUnitArb = fc.constantFrom(1n, 7n);

/** A random set with conflicts and invalid items, delivered in a random order. */
export const messySetArb = fc.record({
  steps: fc.array(stepArb, { maxLength: 12, size: 'max' }),
  extras: fc.array(extraArb, { maxLength: 16, size: 'max' }),
  delivery: deliveryArb,
  powUnit: powUnitArb,
});

export type MessySet = typeof messySetArb extends fc.Arbitrary<infer T> ? T : never;

export async function replayMessySet(input: MessySet): Promise<{ store: MemoryLedgerStore; ledger: Ledger }> {
  const network = networkOf(input.powUnit);
  const built = await buildConflictFree(input.steps, network);
  const items = await withExtras(built, input.extras);
  return replay(arrange(items, input.delivery), network, true);
}
