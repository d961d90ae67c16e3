// When to probe the app's server again while its requests fail (src/app/connectivity.svelte.ts): 3 s after
// the first failure, then twice as long after each probe that fails too, at most 60 s apart. That schedule
// runs only while something says the network is there (the node's tracker answered, or a peer is
// connected): each failed probe is an error line in the console, and while nothing reaches the network
// one is sure to fail (the issue counted 28 refused probes in 84 s). Meanwhile the node's own tracker
// reconnects (src/net/trackerReconnect.ts) are the check, and a probe every PROBE_QUIET_MS the fallback.
// The browser's `online` event starts the schedule again.

/** The first wait, after the failure that started probing. */
export const PROBE_FIRST_MS = 3_000;
/** The longest wait between two probes. */
export const PROBE_MAX_MS = 60_000;

/**
 * The wait between probes while nothing says the network is there: long, since one is sure to fail, but
 * not forever (the app's server may be back while its trackers are not).
 */
export const PROBE_QUIET_MS = 300_000;

/** How long to wait before probe number `failed` + 1, after `failed` probes that failed (0 or more). */
export function probeDelayMs(failed: number): number {
  return Math.min(PROBE_MAX_MS, PROBE_FIRST_MS * 2 ** Math.min(failed, 16));
}
