// What one side of a reconciliation spent on one message, counted by the reconciler as it works (not
// timed), so that a peer can be charged for the work its messages cause and tests see the same figure on
// every machine. `costOf` turns the counts into work units: nominal nanoseconds of CPU on the reference
// machine, the unit of the per-peer budget (src/net/sync/syncBudget.ts).
//
// Calibration (bench/syncCost.bench.ts, 2 shared cores, load ~6, best of 5 runs; noisy): one range
// fingerprint ≈ 1.6 µs (a SHA-256 of 33–41 bytes and a 256-bit subtraction); one step of a binary search
// ≈ 25 ns; one id copied into a message or hex-encoded and looked up ≈ 130 ns; one byte read or written
// ≈ 2 ns. The weights below round those up, so a count overstates the time it stands for.

export interface SyncWork {
  /** SHA-256 fingerprints computed (an empty range's is a constant and costs none). */
  hashes: number;
  /** Steps of the binary searches that place each range's bound in our set. */
  searchSteps: number;
  /** Ids copied into a message. */
  ids: number;
  /** Ids hex-encoded and looked up (an initiator checking the peer's id list against what it holds). */
  lookups: number;
  /** Bytes of the peer's message read and of our message written. */
  bytes: number;
}

/** Nominal nanoseconds per counted operation (see the calibration above). */
export const NS_PER_HASH = 2000;
export const NS_PER_SEARCH_STEP = 30;
export const NS_PER_ID = 100;
export const NS_PER_LOOKUP = 600;
export const NS_PER_BYTE = 3;

export function noWork(): SyncWork {
  return { hashes: 0, searchSteps: 0, ids: 0, lookups: 0, bytes: 0 };
}

/** Work units (nominal ns) of `work`. */
export function costOf(work: SyncWork): number {
  return (
    work.hashes * NS_PER_HASH +
    work.searchSteps * NS_PER_SEARCH_STEP +
    work.ids * NS_PER_ID +
    work.lookups * NS_PER_LOOKUP +
    work.bytes * NS_PER_BYTE
  );
}
