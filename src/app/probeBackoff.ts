// When to probe the app's server again while its requests fail (src/app/connectivity.svelte.ts): 3 s after
// the first failure, then twice as long after each probe that fails too, at most 60 s apart. A server that
// stays down so costs about a dozen failed requests in the console in ten minutes, not one every 3 s
// (28 in the 84 s the issue counted). The browser's `online` event starts the schedule again.

/** The first wait, after the failure that started probing. */
export const PROBE_FIRST_MS = 3_000;
/** The longest wait between two probes. */
export const PROBE_MAX_MS = 60_000;

/** How long to wait before probe number `failed` + 1, after `failed` probes that failed (0 or more). */
export function probeDelayMs(failed: number): number {
  return Math.min(PROBE_MAX_MS, PROBE_FIRST_MS * 2 ** Math.min(failed, 16));
}
