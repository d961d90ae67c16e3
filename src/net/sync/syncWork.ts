// What one side of a reconciliation spent on one message, counted by the reconciler as it works (not
// timed), so that a peer can be charged for the work its messages cause and tests see the same figure on
// every machine. `costOf` turns the counts into work units: nominal nanoseconds of CPU on the reference
// machine, the unit of the per-peer budget (src/net/sync/syncBudget.ts).
//
// Calibration (bench/syncCost.bench.ts on the shared 2-core machine under a load of ~6, best of 20 runs
// each, at 100,000, 200,000 and 1,000,000 items; noisy): measured time / nominal time is 0.56–0.69 for a
// full 16 KiB SYNC of exact fingerprints (1.2–1.5 ms for ~2.1 ms nominal; one run under heavier load
// 1.33), 0.19–0.28 for a SYNC of 4,096 Skips, 0.27–0.64 for a fresh node's request (~810 ids copied) and
// 0.59 for reading a full id list (~810 ids looked up). The weights overstate the time on purpose: a
// budget of 10^8 units a second is at most a tenth of a core here.

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
