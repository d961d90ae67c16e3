// Tells the ledger worker that the person is using the page (a key or a pointer press), so the wallet's
// auto-lock counts from the last use, not from the unlock (src/ledger/walletLock.ts). At most one call
// per USE_REPORT_MS: the auto-lock is counted in minutes.
import type { NodeHandle } from './nodeHandle.ts';

export const USE_REPORT_MS = 20_000;

/** Starts reporting use of the page; returns the function that stops it. */
export function reportWalletUse(node: NodeHandle): () => void {
  let last = 0;
  const used = () => {
    const now = Date.now();
    if (now - last < USE_REPORT_MS) return;
    last = now;
    void node.ledger.noteUse();
  };
  const options = { capture: true, passive: true };
  addEventListener('keydown', used, options);
  addEventListener('pointerdown', used, options);
  return () => {
    removeEventListener('keydown', used, options);
    removeEventListener('pointerdown', used, options);
  };
}
