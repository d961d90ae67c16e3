// Waits for a condition that no event announces (a tracker's announce state, a server's counters) by
// checking it every POLL_MS, failing after `ms`. Where a node's events can wake the check, use waitFor
// (test/support/nodePeer.ts) instead.

const POLL_MS = 25;

export async function pollFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 15_000,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
