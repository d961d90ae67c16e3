// Signature verdicts shared by every simulated node: each distinct (signature, message, key) is verified
// once for the whole simulation with the strict verifier, and every other node reuses the answer. A
// thousand nodes verifying the same payment would otherwise spend the run in Ed25519, which the
// simulation does not measure (the benchmarks do: bench:node, bench:sync).
import { bytesToHex } from '../../src/core/hex.ts';
import { verifyStrict, type SignatureVerifier } from '../../src/core/ed25519.ts';

export interface SharedVerdicts {
  readonly verify: SignatureVerifier;
  /** Signatures actually verified, and answers given from the cache. */
  readonly stats: { verified: number; reused: number };
}

export function sharedVerdicts(verify: typeof verifyStrict = verifyStrict): SharedVerdicts {
  const verdicts = new Map<string, boolean>();
  const stats = { verified: 0, reused: 0 };
  return {
    stats,
    verify(signature, message, publicKey) {
      // The whole triple is the key, so a cached answer is the answer for exactly these bytes.
      const key = `${bytesToHex(signature)}:${bytesToHex(publicKey)}:${bytesToHex(message)}`;
      const known = verdicts.get(key);
      if (known !== undefined) {
        stats.reused++;
        return known;
      }
      stats.verified++;
      const verdict = verify(signature, message, publicKey);
      verdicts.set(key, verdict);
      return verdict;
    },
  };
}
