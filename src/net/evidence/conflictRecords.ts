// The double spends this node knows of, as proof it can hand on: a bounded, expiring set of conflict
// records, one per double-spent output. Bookkeeping only: the clock is handed in.
//
// === Specification ===
//  1. A record is an output (the id of the transaction whose tokens were spent twice), the evidence
//     (signed spends of it: what this node accepted, then the spend it found in conflict, PROTOCOL §5.13)
//     and when this node first saw it. Records come only from the ledger's own verdicts, never from what
//     a peer claims: evidence a peer sends is decided by the ledger first.
//  2. add(output, txs, now) keeps a record for an output not yet recorded and answers true: this node
//     passes the evidence on once. A later conflict on a recorded output answers false (the output is
//     already known to be double spent; its first evidence proves it).
//  3. At most MAX_CONFLICT_RECORDS are kept; past that the oldest is forgotten first.
//  4. A record is forgotten CONFLICT_RECORD_TTL_MS after it was added (expire(now), or when met by
//     recent()). The ledger keeps the losing spend's `conflict` verdict for good; only the relay's memory
//     of it ends.
//  5. recent(limit, now) gives the newest records first: what a newly connected peer is told.
import type { EvidenceTx } from './conflictFrame.ts';

/** Double-spent outputs remembered at once (each at most ~4 KiB of evidence: ~1 MiB in all). */
export const MAX_CONFLICT_RECORDS = 256;
/** How long a record is kept and told to newly connected peers. */
export const CONFLICT_RECORD_TTL_MS = 60 * 60 * 1000;

export interface ConflictRecord {
  readonly output: string;
  /** Accepted spends first, the losing spend last (the CONFLICT frame's order). */
  readonly txs: readonly EvidenceTx[];
  readonly seenAt: number;
}

export class ConflictRecords {
  /** By output, oldest first (a Map keeps insertion order). */
  private readonly records = new Map<string, ConflictRecord>();

  constructor(
    private readonly maxRecords = MAX_CONFLICT_RECORDS,
    private readonly ttlMs = CONFLICT_RECORD_TTL_MS,
  ) {}

  get size(): number {
    return this.records.size;
  }

  has(output: string): boolean {
    return this.records.has(output);
  }

  add(output: string, txs: readonly EvidenceTx[], now: number): boolean {
    this.expire(now);
    if (this.records.has(output)) return false;
    this.records.set(output, { output, txs, seenAt: now });
    while (this.records.size > this.maxRecords) this.records.delete(this.records.keys().next().value!);
    return true;
  }

  expire(now: number): void {
    for (const [output, record] of this.records) {
      if (now - record.seenAt < this.ttlMs) break; // oldest first: the rest are younger
      this.records.delete(output);
    }
  }

  recent(limit: number, now: number): ConflictRecord[] {
    this.expire(now);
    return [...this.records.values()].reverse().slice(0, limit);
  }
}
