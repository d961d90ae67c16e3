// The stateless half of PROTOCOL §5: checks 1–5, which depend on the bytes alone. Their answer is the
// same on every node and in any order, so workers may run them in parallel before the ledger decides.
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { verifyStrict, type SignatureVerifier } from './ed25519.ts';
import { bytesToHex, hexToBytes } from './hex.ts';
import { parseTx } from './parseTx.ts';
import { signingMessage, signingMessageOfCanonical } from './signingMessage.ts';
import type { Tx } from './tx.ts';
import { txIdOf, txIdWith } from './txId.ts';
import { workOfSigned } from './work.ts';

export type StructuralVerdict =
  | { ok: true; id: string; tx: Tx; text: string }
  | {
      ok: false;
      id: string;
      reason: 'too-large' | 'malformed' | 'non-canonical' | 'bad-signature';
      detail: string;
    };

/** Does the signature of a parsed transaction verify? (check 5) */
export async function verifyTxSignature(tx: Tx, verify: SignatureVerifier = verifyStrict): Promise<boolean> {
  return verify(hexToBytes(tx.signature), signingMessage(tx), hexToBytes(tx.key));
}

/**
 * The hash functions the stateless facts are found with: noble's (NOBLE_DIGESTS) unless a platform's
 * faster ones are handed in (the full node: node:crypto, src/node/nodeDigests.ts). Any correct SHA-1 and
 * SHA-256 give the same facts.
 */
export interface Digests {
  readonly sha1: (data: Uint8Array) => Uint8Array;
  readonly sha256: (data: Uint8Array) => Uint8Array;
}

export const NOBLE_DIGESTS: Digests = { sha1, sha256 };

export type CheckResult =
  /** `work`: the transaction's proof of work (stateless, so found here, off the ledger's turn). */
  | { ok: true; tx: Tx; text: string; work: number }
  | { ok: false; reason: 'too-large' | 'malformed' | 'non-canonical' | 'bad-signature'; detail: string };

/** Checks 1–5 on raw tx.json bytes. */
export async function checkParsedTx(
  bytes: Uint8Array,
  verify: SignatureVerifier = verifyStrict,
  digests: Digests = NOBLE_DIGESTS,
): Promise<CheckResult> {
  const parsed = parseTx(bytes);
  if (!parsed.ok) return parsed;
  const { tx, text } = parsed;
  const message = signingMessageOfCanonical(tx, text);
  if (!(await verify(hexToBytes(tx.signature), message, hexToBytes(tx.key)))) {
    return { ok: false, reason: 'bad-signature', detail: 'the signature does not verify (strict Ed25519)' };
  }
  return { ...parsed, work: workOfSigned(tx, message, digests.sha256) };
}

/** Checks 1–5 on raw tx.json bytes, with the id those bytes have whatever the verdict. */
export async function checkTxBytes(
  bytes: Uint8Array,
  verify: SignatureVerifier = verifyStrict,
): Promise<StructuralVerdict> {
  return { id: txIdOf(bytes), ...(await checkParsedTx(bytes, verify)) };
}

/**
 * Everything about a received item that depends on its bytes alone: its id, the SHA-256 pin of its
 * bytes (PROTOCOL "Known weakness") and checks 1–5. The same on every node, in any order, on any thread.
 */
export interface ReceivedFacts {
  readonly id: string;
  readonly sha256: string;
  readonly check: CheckResult;
}

/** The SHA-256 pin of a transaction's bytes, lowercase hex. */
export function pinOf(bytes: Uint8Array, sha256Of: (data: Uint8Array) => Uint8Array = sha256): string {
  return bytesToHex(sha256Of(bytes));
}

export async function receivedFactsOf(
  bytes: Uint8Array,
  verify: SignatureVerifier = verifyStrict,
  digests: Digests = NOBLE_DIGESTS,
): Promise<ReceivedFacts> {
  return {
    id: txIdWith(bytes, digests.sha1),
    sha256: pinOf(bytes, digests.sha256),
    check: await checkParsedTx(bytes, verify, digests),
  };
}

/**
 * Finds the facts of a batch of items, in their order: receivedFactsOf on each, wherever it runs (the
 * full node spreads them over threads, src/node/threadedChecker.ts).
 */
export type BatchChecker = (items: readonly Uint8Array[]) => Promise<ReceivedFacts[]>;
