// Signature verdicts shared by every newcomer in one process of the crowd bench (bench/support/crowd.ts):
// each distinct (signature, message, key) is verified once per process and every other newcomer there
// reuses the answer (bench/sim/sharedVerdicts.ts shares it so for the simulation). The newcomers are the
// bench's load generators, the node is what it measures: 200 newcomers verifying the same 20,000
// signatures would spend the run in Ed25519 on the bench's side. Each newcomer's ledger still checks
// everything else itself (ids, parents, balances, work).
import type { SignatureVerifier } from '../../src/core/ed25519.ts';

export interface VerdictCache {
  readonly verify: SignatureVerifier;
  /** Signatures actually verified, and answers given from the cache. */
  readonly stats: { verified: number; reused: number };
}

export function verdictCache(verify: SignatureVerifier): VerdictCache {
  // The promise is kept, so newcomers asking about one signature at once share one verification.
  const verdicts = new Map<string, boolean | Promise<boolean>>();
  const stats = { verified: 0, reused: 0 };
  const hex = (bytes: Uint8Array) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return {
    stats,
    verify(signature, message, publicKey) {
      // The whole triple is the key, so a cached answer is the answer for exactly these bytes.
      const key = `${hex(signature)}:${hex(publicKey)}:${hex(message)}`;
      const known = verdicts.get(key);
      if (known !== undefined) {
        stats.reused++;
        return known;
      }
      stats.verified++;
      const verdict = verify(signature, message, publicKey);
      verdicts.set(key, verdict);
      if (verdict instanceof Promise)
        void verdict.then(
          (v) => verdicts.set(key, v),
          () => verdicts.delete(key),
        );
      return verdict;
    },
  };
}
