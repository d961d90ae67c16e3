// The ledger state machine of PROTOCOL §5: first-seen order, held transactions decided again in arrival
// order, conflicts with their evidence, parent-rejected cascades, values and balances. It reads and
// writes through a LedgerStore and commits each batch atomically. CONSENSUS CODE.
import { checkParsedTx, pinOf, type BatchChecker } from './checkTx.ts';
import { decideTx } from './decideTx.ts';
import { verifyStrict, type SignatureVerifier } from './ed25519.ts';
import { LedgerBatch } from './ledgerBatch.ts';
import { MinHeap } from './minHeap.ts';
import type { NetworkParams } from './network.ts';
import { FUTURE_TOLERANCE_MS, MAX_TX_BYTES } from './tx.ts';
import { txIdOf } from './txId.ts';
import type { Tx } from './tx.ts';
import { remainingOf, type LedgerStore, type TxRecord } from './txRecord.ts';
import { isHeld } from './verdict.ts';

/** What became of one received item. */
export type ReceiveOutcome =
  | { kind: 'new'; id: string; record: TxRecord }
  | { kind: 'duplicate'; id: string; record: TxRecord }
  /** Different bytes under a known id: a SHA-1 collision attempt to report; nothing changes. */
  | { kind: 'bytes-mismatch'; id: string; record: TxRecord }
  /**
   * Would be held as `future`, but the hold policy declined: nothing was stored, as if never received
   * (PROTOCOL §5 lets a node drop held transactions; a later copy is decided afresh).
   */
  | { kind: 'dropped'; id: string; reason: string };

export class DroppedError extends Error {
  override readonly name = 'DroppedError';
}

/** The record an outcome names; a `dropped` outcome has none (only a hold policy drops). */
export function recordOf(outcome: ReceiveOutcome): TxRecord {
  if (outcome.kind === 'dropped') throw new DroppedError(`${outcome.id} was dropped: ${outcome.reason}`);
  return outcome.record;
}

export interface ReceiveResult {
  readonly outcomes: ReceiveOutcome[];
  /** Every record this call created or changed (newly decided held ones included), in arrival order. */
  readonly changed: TxRecord[];
  /** The records whose status this call set: new ones and held ones decided again. */
  readonly decided: TxRecord[];
}

export interface LedgerOptions {
  /** A verifier giving the strict answer on every vector; defaults to @noble/ed25519 strict. */
  readonly verify?: SignatureVerifier;
  /**
   * Finds the stateless facts of each batch (id, pin, checks 1–5) elsewhere, e.g. on other threads
   * (receivedFactsOf on each item). `verify` is then not used. Without it, the ledger finds them itself.
   */
  readonly checkBatch?: BatchChecker;
  /**
   * Local policy, not consensus: hold a `future` transaction only where what is left of its parent
   * covers its tokens and those of every future already held on that parent. Without it, a peer could
   * make the node hold any number of futures spending one output. Off by default (the vectors and the
   * replay hold every future, as PROTOCOL §5 describes).
   */
  readonly holdOnlyCoverableFutures?: boolean;
}

export class Ledger {
  private readonly verify: SignatureVerifier;
  private readonly checkBatch: BatchChecker | undefined;
  private readonly holdOnlyCoverableFutures: boolean;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly store: LedgerStore,
    readonly network: NetworkParams,
    options: LedgerOptions = {},
  ) {
    this.verify = options.verify ?? verifyStrict;
    this.checkBatch = options.checkBatch;
    this.holdOnlyCoverableFutures = options.holdOnlyCoverableFutures ?? false;
  }

  /**
   * Receives tx.json byte strings in arrival order at node time `now` (ms). Calls are serialised, and
   * each commits everything it decided in one atomic store write.
   */
  receive(
    items: readonly Uint8Array[],
    now: number,
    /**
     * txIdOf of each item, where the caller computed it already (gossip checks that every received
     * transaction's bytes hash to the id its sender claimed): the ledger does not hash them again.
     */
    knownIds?: readonly string[],
  ): Promise<ReceiveResult> {
    if (knownIds !== undefined && knownIds.length !== items.length) {
      throw new RangeError(`${knownIds.length} ids for ${items.length} transactions`);
    }
    // Checks 1–5 depend on the bytes only, so they start at once, before this call's turn: they overlap
    // with the previous call's store writes, and with each other (an async verifier such as WebCrypto).
    // Their answers do not depend on when they run; those of items found known are not used.
    // With a batch checker, ids and pins come with the checks (hashed where the checks ran); without one,
    // the ids are hashed here at once, so the batch's first reads below need not wait for the checks.
    const facts = this.checkBatch?.(items);
    facts?.catch(() => undefined); // reported by the awaiting call below
    const ownIds = knownIds ?? (facts ? undefined : items.map((bytes) => txIdOf(bytes)));
    const checking = facts
      ? facts.then((all) => all.map((f) => f.check))
      : Promise.all(items.map((bytes) => checkParsedTx(bytes, this.verify)));
    checking.catch(() => undefined); // a failure is reported by the awaiting call below
    // The parents are read soon (prefetch, below): a store may start reading them now, while the
    // calls before this one decide, instead of behind their writes.
    if (this.store.warm) {
      void checking.then(
        (checks) => this.store.warm!(checks.flatMap((c) => (c.ok && c.tx.prev !== null ? [c.tx.prev] : []))),
        () => undefined,
      );
    }
    // The next call's turn comes once this batch is in the store's memory (issueCommit), not once it is
    // on disk: it decides while this one is written. This call still resolves only when it is durable;
    // if that write fails, the store refuses every later commit (LedgerStore.commit).
    let durable: Promise<void> = Promise.resolve();
    const decided = this.exclusive(async () => {
      const batch = new LedgerBatch(this.store);
      await this.decideDueFutures(batch, now);
      // Reads are done together: first every id of the batch, then every parent the new ones name, so
      // the decisions below find what they need in the batch's view instead of one store read each.
      const ids = ownIds ?? (await facts!).map((f) => f.id);
      await batch.prefetch(ids);
      const checks = await checking;
      const found = await facts;
      await batch.prefetch(checks.flatMap((c) => (c.ok && c.tx.prev !== null ? [c.tx.prev] : [])));
      // The stateful decisions run strictly in arrival order.
      const outcomes: ReceiveOutcome[] = [];
      for (let i = 0; i < items.length; i++) {
        const bytes = items[i]!;
        const id = ids[i]!;
        const pin = found?.[i]!.sha256 ?? pinOf(bytes);
        const existing = await batch.getTx(id);
        if (existing) {
          const kind = existing.sha256 === pin ? 'duplicate' : 'bytes-mismatch';
          outcomes.push({ kind, id, record: existing });
          continue;
        }
        const check = checks[i]!;
        const base = {
          id,
          arrival: await batch.nextArrival(),
          bytes: bytes.length <= MAX_TX_BYTES ? bytes : null,
          sha256: pin,
        };
        let record: TxRecord;
        if (!check.ok) {
          record = {
            ...base,
            tx: null,
            prev: null,
            to: null,
            status: 'invalid',
            reason: check.reason,
            detail: check.detail,
          };
          batch.put(record);
          batch.markDecided(record.id);
          await this.cascade(batch, record, now);
        } else if (await this.declinesFuture(batch, id, check.tx, now)) {
          outcomes.push({ kind: 'dropped', id, reason: 'a future spend its parent cannot cover' });
          continue;
        } else {
          record = await this.decide(
            batch,
            { ...base, tx: check.tx, prev: check.tx.prev, to: check.tx.to, status: 'orphan' },
            now,
            check.work,
          );
        }
        outcomes.push({ kind: 'new', id, record: (await batch.getTx(id)) ?? record });
      }
      ({ durable } = await batch.issueCommit());
      return { outcomes, changed: batch.changed(), decided: batch.decided() };
    });
    return decided.then(async (result) => {
      await durable;
      return result;
    });
  }

  /** Decides held `future` transactions whose time has come by node time `now`; returns those decided. */
  advanceClock(now: number): Promise<TxRecord[]> {
    return this.exclusive(async () => {
      const batch = new LedgerBatch(this.store);
      await this.decideDueFutures(batch, now);
      await batch.commit();
      return batch.decided();
    });
  }

  /**
   * Drops held (`orphan`, `future`) records among `ids`, as if never received; any other status stays.
   * Returns the ids dropped. For bounding what peers make the node hold.
   */
  dropHeld(ids: readonly string[]): Promise<string[]> {
    return this.exclusive(async () => {
      const batch = new LedgerBatch(this.store);
      const dropped: string[] = [];
      for (const id of new Set(ids)) {
        const record = await batch.getTx(id);
        if (record && isHeld(record.status)) {
          batch.remove(record);
          dropped.push(id);
        }
      }
      await batch.commit();
      return dropped;
    });
  }

  /** The hold policy for a new transaction that would be held as `future` (see LedgerOptions). */
  private async declinesFuture(batch: LedgerBatch, id: string, tx: Tx, now: number): Promise<boolean> {
    if (!this.holdOnlyCoverableFutures || tx.prev === null) return false;
    // Only a time this far ahead can make a future (PROTOCOL §5.11): the rest need no decision here.
    if (tx.time <= now + FUTURE_TOLERANCE_MS) return false;
    const parent = await batch.getTx(tx.prev);
    if (decideTx(id, tx, parent, this.network, now).status !== 'future') return false;
    if (parent?.status !== 'accepted') return false;
    const held = (await batch.childrenOf(tx.prev)).filter((r) => r.status === 'future');
    const promised = held.reduce((sum, r) => sum + BigInt(r.tx!.tokens), BigInt(tx.tokens));
    return promised > remainingOf(parent);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decideDueFutures(batch: LedgerBatch, now: number): Promise<void> {
    // PROTOCOL §5: held transactions are decided again in their original arrival order.
    for (const held of await batch.dueFutures(now)) {
      const current = await batch.getTx(held.id);
      if (current?.status === 'future') await this.decide(batch, current, now);
    }
  }

  /**
   * Decides a structurally valid record (new or held) and applies the decision; when it becomes final,
   * decides again every orphan that waited on it.
   */
  private async decide(batch: LedgerBatch, record: TxRecord, now: number, work?: number): Promise<TxRecord> {
    const decided = await this.decideOne(batch, record, now, work);
    if (!isHeld(decided.status)) await this.cascade(batch, decided, now);
    return decided;
  }

  /** `work`: workOf(record.tx), where it is known already. */
  private async decideOne(
    batch: LedgerBatch,
    record: TxRecord,
    now: number,
    work?: number,
  ): Promise<TxRecord> {
    const tx = record.tx!;
    const parent = tx.prev === null ? undefined : await batch.getTx(tx.prev);
    const decision = decideTx(record.id, tx, parent, this.network, now, work);
    // Drop what a previous held state carried; keep identity, bytes and arrival.
    const { waitingOn: _w, dueAt: _d, reason: _r, detail: _t, ...kept } = record;
    let next: TxRecord;
    switch (decision.status) {
      case 'orphan':
        next = { ...kept, status: 'orphan', waitingOn: decision.waitingOn };
        break;
      case 'future':
        next = { ...kept, status: 'future', dueAt: decision.dueAt };
        break;
      case 'invalid': {
        const { status, reason, ...figures } = decision;
        next = { ...kept, ...figures, status, reason };
        break;
      }
      case 'conflict': {
        const siblings = await batch.childrenOf(tx.prev!);
        const conflictWith = siblings.filter((s) => s.status === 'accepted').map((s) => s.id);
        const { status: _s, ...figures } = decision;
        next = { ...kept, ...figures, status: 'conflict', conflictWith };
        break;
      }
      case 'accepted': {
        const { status: _s, ...figures } = decision;
        next = { ...kept, ...figures, status: 'accepted', spent: 0n };
        await batch.addBalance(tx.to, decision.value);
        if (parent) {
          batch.put({ ...parent, spent: (parent.spent ?? 0n) + decision.cost });
          await batch.addBalance(parent.to!, -decision.cost);
        }
        break;
      }
    }
    batch.put(next);
    batch.markDecided(next.id);
    return next;
  }

  /** After `root` got a final verdict, decide its waiting orphans, and theirs, in arrival order. */
  private async cascade(batch: LedgerBatch, root: TxRecord, now: number): Promise<void> {
    const ready = new MinHeap<TxRecord>((a, b) => a.arrival - b.arrival);
    for (const orphan of await batch.orphansOf(root.id)) ready.push(orphan);
    for (let next = ready.pop(); next; next = ready.pop()) {
      const current = await batch.getTx(next.id);
      if (current?.status !== 'orphan') continue;
      const decided = await this.decideOne(batch, current, now);
      if (isHeld(decided.status)) continue;
      for (const orphan of await batch.orphansOf(decided.id)) ready.push(orphan);
    }
  }
}
