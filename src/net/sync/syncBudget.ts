// What one peer may make this node spend on set reconciliation: a per-peer budget of work units (nominal
// nanoseconds of CPU, counted by the reconciler: src/net/sync/syncWork.ts) that refills at a tenth of a
// core, and a count of the peer's sessions and of the rounds in each. Bookkeeping only: the clock and the
// set size are handed in, and each call says what bound the peer broke (the caller disconnects it).
//
// === Specification ===
//  1. Two buckets, one per role: `answered` charges a SYNC this node answered (the peer's session),
//     `reconciled` a SYNC_REPLY it read (its own session with the peer). Each starts full, refills at
//     SYNC_UNITS_PER_SECOND and holds at most `syncBurst(setSize)`; a charge that takes a bucket below
//     zero is a violation. So one peer costs at most the burst + SYNC_UNITS_PER_SECOND × t per role.
//  2. syncBurst(n) = max(MIN_SYNC_BURST, SYNC_UNITS_PER_ITEM × n), n our set's size: about twice the
//     dearest honest session measured (test/net/syncLimits.test.ts, 16 KiB frames: half of 1,000,000
//     items missing at random, the peer holding them all: 3.0e9 units answering, 3.7e9 asking; a fresh
//     node's 0 vs 500,000: 8.2e7 answering), so answering an honest peer never needs the refill. The
//     asking side of a node far behind (our set small, the peer's large) does: reading 500,000 listed
//     ids costs it 3.3e8 units against its burst of 2.5e8, and it gets the refill in the pauses of
//     SYNC_PAUSE_AT (2,000 ids fetched at even 20,000 a second refill 10^7 units, ~16,000 lookups).
//  3. Sessions: a SYNC of the shape that opens a session (opensSession.ts) starts one. An honest peer
//     opens one at connect and then RESYNC_MS after its last one ended, so more than
//     MAX_SESSIONS_PER_WINDOW openings within `window` ms is a violation; so are more than
//     `maxRounds` + 1 SYNCs since the last opening (an initiator sends its opening and one message per
//     reply, and gives up after `maxRounds` replies).
import { opensSession } from './opensSession.ts';

/** A tenth of a core, in work units (nominal ns) per second. */
export const SYNC_UNITS_PER_SECOND = 100_000_000;
/** Burst per item of the accepted set (see 2 above). */
export const SYNC_UNITS_PER_ITEM = 7_000;
/** Burst for small sets: a full 16 KiB message of the dearest kind costs ~2.5e6 units. */
export const MIN_SYNC_BURST = 100 * 2_500_000;
/** Sessions a peer may open within one resync period (an honest one opens one, two at the edges). */
export const MAX_SESSIONS_PER_WINDOW = 2;

export function syncBurst(setSize: number): number {
  return Math.max(MIN_SYNC_BURST, SYNC_UNITS_PER_ITEM * setSize);
}

class WorkBucket {
  /** Full at the first charge, whatever the set's size when the peer came (it may still be loading). */
  #units = Infinity;
  #last: number;

  constructor(now: number) {
    this.#last = now;
  }

  /** Takes `units`; false when that leaves the bucket below zero. */
  charge(units: number, setSize: number, now: number): boolean {
    const refill = (Math.max(0, now - this.#last) / 1000) * SYNC_UNITS_PER_SECOND;
    this.#units = Math.min(syncBurst(setSize), this.#units + refill) - units;
    this.#last = now;
    return this.#units >= 0;
  }
}

export class SyncBudget {
  readonly #answering: WorkBucket;
  readonly #asking: WorkBucket;
  /** When the peer's last MAX_SESSIONS_PER_WINDOW sessions opened. */
  readonly #openings: number[] = [];
  /** SYNCs since the peer's last opening (before its first, since it connected). */
  #rounds = 0;
  /** Work charged so far, both roles: for the figures of tests and the network panel. */
  spent = 0;

  constructor(
    now: number,
    private readonly window: number,
    private readonly maxRounds: number,
    private readonly idSize = 20,
  ) {
    this.#answering = new WorkBucket(now);
    this.#asking = new WorkBucket(now);
  }

  /** A SYNC this node answered at `units` of work: the bound it broke, or undefined. */
  answered(message: Uint8Array, units: number, setSize: number, now: number): string | undefined {
    if (opensSession(message, this.idSize)) {
      if (this.#openings.length === MAX_SESSIONS_PER_WINDOW && now - this.#openings[0]! < this.window) {
        return `opened more than ${MAX_SESSIONS_PER_WINDOW} reconciliations in ${this.window / 1000} s`;
      }
      this.#openings.push(now);
      if (this.#openings.length > MAX_SESSIONS_PER_WINDOW) this.#openings.shift();
      this.#rounds = 0;
    }
    if (++this.#rounds > this.maxRounds + 1) {
      return `sent more than ${this.maxRounds + 1} messages in one reconciliation`;
    }
    this.spent += units;
    if (!this.#answering.charge(units, setSize, now))
      return 'made this node work too hard answering reconciliation';
    return undefined;
  }

  /** A SYNC_REPLY to this node's own session read at `units` of work: the bound it broke, or undefined. */
  reconciled(units: number, setSize: number, now: number): string | undefined {
    this.spent += units;
    if (!this.#asking.charge(units, setSize, now)) return 'made this node work too hard reconciling';
    return undefined;
  }
}
