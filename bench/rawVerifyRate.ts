// The raw baselines the import benchmarks compare with: Ed25519 verifies per second on a sample of the
// same transactions, inputs prepared first, so only the verifier is timed. Strict noble (what a ledger
// without a fast path runs) and bare node:crypto (OpenSSL; keys imported beforehand), the ceiling of
// the Node side's verifier (src/node/nativeEd25519Verifier.ts).
import { verify } from 'node:crypto';
import { verifyStrict } from '../src/core/ed25519.ts';
import { hexToBytes } from '../src/core/hex.ts';
import { parseTx } from '../src/core/parseTx.ts';
import { signingMessage } from '../src/core/signingMessage.ts';
import { ed25519KeyObject } from '../src/node/nativeEd25519Verifier.ts';

function sampleOf(txs: readonly Uint8Array[], sampleSize: number) {
  return txs.slice(0, Math.min(sampleSize, txs.length)).map((bytes) => {
    const parsed = parseTx(bytes);
    if (!parsed.ok) throw new Error('generated tx does not parse');
    const { tx } = parsed;
    return { sig: hexToBytes(tx.signature), msg: signingMessage(tx), key: hexToBytes(tx.key) };
  });
}

/** Strict noble verifies per second. */
export function rawVerifyRate(txs: readonly Uint8Array[], sampleSize = 5000): number {
  const sample = sampleOf(txs, sampleSize);
  const t0 = performance.now();
  for (const { sig, msg, key } of sample) if (!verifyStrict(sig, msg, key)) throw new Error('bad sample');
  return (sample.length / (performance.now() - t0)) * 1000;
}

/** Bare node:crypto Ed25519 verifies per second (no strict checks, no key cache lookups). */
export function rawNativeVerifyRate(txs: readonly Uint8Array[], sampleSize = 20000): number {
  const sample = sampleOf(txs, sampleSize).map((s) => ({ ...s, key: ed25519KeyObject(s.key) }));
  const t0 = performance.now();
  for (const { sig, msg, key } of sample) if (!verify(null, msg, key, sig)) throw new Error('bad sample');
  return (sample.length / (performance.now() - t0)) * 1000;
}
