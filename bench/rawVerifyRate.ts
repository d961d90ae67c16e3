// The raw baseline the import benchmarks compare with: strict Ed25519 verifies per second on a sample
// of the same transactions, inputs prepared first, so only the verifier is timed.
import { verifyStrict } from '../src/core/ed25519.ts';
import { hexToBytes } from '../src/core/hex.ts';
import { parseTx } from '../src/core/parseTx.ts';
import { signingMessage } from '../src/core/signingMessage.ts';

export function rawVerifyRate(txs: readonly Uint8Array[], sampleSize = 5000): number {
  const sample = txs.slice(0, Math.min(sampleSize, txs.length)).map((bytes) => {
    const parsed = parseTx(bytes);
    if (!parsed.ok) throw new Error('generated tx does not parse');
    const { tx } = parsed;
    return { sig: hexToBytes(tx.signature), msg: signingMessage(tx), key: hexToBytes(tx.key) };
  });
  const t0 = performance.now();
  for (const { sig, msg, key } of sample) if (!verifyStrict(sig, msg, key)) throw new Error('bad sample');
  return (sample.length / (performance.now() - t0)) * 1000;
}
