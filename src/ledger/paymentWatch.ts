// What the wallet needs to say how safe each of its payments is (src/core/paymentState.ts): when this
// node first saw it, when it first saw a double spend of it or of one of its ancestors, and when it was
// found settled. The first two are kept in the ledger worker's memory only: after a reload, what was seen
// before counts as seen when the ledger opened (a stored `conflict` counts as seen then). When a payment
// settled is stored (src/storage/settledTimes.ts), so that what was settled shows settled at once after a
// reload or an offline start, instead of being watched for a window again.
//
// === Specification ===
//  1. seen(id, now) notes the first time this node saw one of the wallet's transactions; later calls
//     change nothing. At most MAX_WATCHED ids; past that the oldest noted is forgotten (it then counts
//     as seen when the ledger opened, long past its window).
//  2. conflicted(output, now) notes the first time this node saw a double spend of `output` (a record
//     decided `conflict`, or evidence of one it had). At most MAX_WATCHED outputs, oldest forgotten first.
//  3. safetyOf(records, read) gives, per record, firstSeenAt and conflictSeenAt: the earliest noted
//     conflict on the outputs it and its ancestors spend, up to MAX_ANCESTRY_DEPTH outputs back. A record
//     that is itself `conflict`, or `parent-rejected`, is in a conflict since it was seen at the latest.
//  4. settled(ids, now) notes, and stores, that each id was found settled now (the page finds it: the
//     holders it counts are the network worker's); an id already noted settled keeps its first time.
//     safetyOf gives each record's settledAt: noted, else read from the store once (a miss is
//     remembered too: only this worker writes the store). At most MAX_WATCHED ids, oldest forgotten.
//  5. The outputs a record's ancestry spends are cached per record once its walk reached the genesis or
//     the depth (ancestors never change); at most MAX_WATCHED chains.
import type { TxRecord } from '../core/txRecord.ts';
import type { SettledTimes } from '../storage/settledTimes.ts';

/** Ids (and outputs, and ancestry chains) remembered each. */
export const MAX_WATCHED = 10_000;
/** How many outputs back a payment's ancestry is searched for double spends. */
export const MAX_ANCESTRY_DEPTH = 32;

export interface PaymentSafetyFacts {
  readonly firstSeenAt: number;
  readonly conflictSeenAt: number | null;
  readonly settledAt: number | null;
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  while (map.size > MAX_WATCHED) map.delete(map.keys().next().value!);
}

export class PaymentWatch {
  private readonly firstSeen = new Map<string, number>();
  private readonly conflicts = new Map<string, number>();
  private readonly chains = new Map<string, readonly string[]>();
  /** When each id was found settled, or null: looked up in the store, not there. */
  private readonly settledAt = new Map<string, number | null>();

  constructor(
    private readonly openedAt: number,
    private readonly stored?: SettledTimes,
  ) {}

  async settled(ids: readonly string[], now: number): Promise<void> {
    await this.lookUpSettled(ids);
    const fresh = [...new Set(ids)].filter((id) => (this.settledAt.get(id) ?? null) === null);
    for (const id of fresh) remember(this.settledAt, id, now);
    if (fresh.length > 0) await this.stored?.noteSettled(fresh.map((id) => [id, now] as const));
  }

  private async lookUpSettled(ids: readonly string[]): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => !this.settledAt.has(id));
    if (unknown.length === 0) return;
    const times = this.stored ? await this.stored.settledTimes(unknown) : [];
    unknown.forEach((id, i) => {
      if (!this.settledAt.has(id)) remember(this.settledAt, id, times[i] ?? null);
    });
  }

  seen(id: string, now: number): void {
    if (!this.firstSeen.has(id)) remember(this.firstSeen, id, now);
  }

  conflicted(output: string, now: number): void {
    if (!this.conflicts.has(output)) remember(this.conflicts, output, now);
  }

  async safetyOf(
    records: readonly TxRecord[],
    read: (ids: string[]) => Promise<(TxRecord | undefined)[]>,
  ): Promise<Map<string, PaymentSafetyFacts>> {
    const chains = await this.outputsSpent(records, read);
    await this.lookUpSettled(records.map((record) => record.id));
    const out = new Map<string, PaymentSafetyFacts>();
    for (const record of records) {
      const firstSeenAt = this.firstSeen.get(record.id) ?? this.openedAt;
      let conflictSeenAt: number | null = null;
      for (const output of chains.get(record.id) ?? []) {
        const at = this.conflicts.get(output);
        if (at !== undefined && (conflictSeenAt === null || at < conflictSeenAt)) conflictSeenAt = at;
      }
      const lost = record.status === 'conflict' || record.reason === 'parent-rejected';
      if (lost && (conflictSeenAt === null || conflictSeenAt > firstSeenAt)) conflictSeenAt = firstSeenAt;
      const settledAt = this.settledAt.get(record.id) ?? null;
      out.set(record.id, { firstSeenAt, conflictSeenAt, settledAt });
    }
    return out;
  }

  /** For each record, the outputs it and its ancestors spend: its prev, its parent's prev, … */
  private async outputsSpent(
    records: readonly TxRecord[],
    read: (ids: string[]) => Promise<(TxRecord | undefined)[]>,
  ): Promise<Map<string, readonly string[]>> {
    const result = new Map<string, readonly string[]>();
    interface Walk {
      readonly chain: string[];
      next: string | null;
      done: boolean;
      complete: boolean;
    }
    const walks = new Map<string, Walk>();
    for (const record of records) {
      const cached = this.chains.get(record.id);
      if (cached) result.set(record.id, cached);
      else walks.set(record.id, { chain: [], next: record.prev, done: false, complete: false });
    }
    for (let depth = 0; depth < MAX_ANCESTRY_DEPTH; depth++) {
      const active = [...walks.values()].filter((walk) => !walk.done);
      for (const walk of active) {
        if (walk.next === null)
          walk.done = walk.complete = true; // reached the genesis
        else walk.chain.push(walk.next);
      }
      const reading = active.filter((walk) => !walk.done);
      if (reading.length === 0) break;
      const wanted = [...new Set(reading.map((walk) => walk.next!))];
      const parents = new Map<string, TxRecord | undefined>();
      (await read(wanted)).forEach((record, i) => parents.set(wanted[i]!, record));
      for (const walk of reading) {
        const parent = parents.get(walk.next!);
        if (parent === undefined)
          walk.done = true; // an ancestor not known (yet): not cached
        else walk.next = parent.prev;
      }
    }
    for (const [id, walk] of walks) {
      if (!walk.done) walk.complete = true; // searched as deep as MAX_ANCESTRY_DEPTH
      result.set(id, walk.chain);
      if (walk.complete) remember(this.chains, id, walk.chain);
    }
    return result;
  }
}
