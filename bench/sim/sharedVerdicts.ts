// Signature verdicts shared by every simulated node: each distinct (signature, message, key) is verified
// once for the whole simulation with the strict verifier, and every other node reuses the answer
// (bench/support/verdictCache.ts, as the crowd bench's newcomers do). A thousand nodes verifying the same
// payment would otherwise spend the run in Ed25519, which the simulation does not measure (the benchmarks
// do: bench:node, bench:sync).
import { verifyStrict } from '../../src/core/ed25519.ts';
import { verdictCache, type VerdictCache } from '../support/verdictCache.ts';

export type SharedVerdicts = VerdictCache;

export function sharedVerdicts(verify: typeof verifyStrict = verifyStrict): SharedVerdicts {
  return verdictCache(verify);
}
