// Proof of work (PROTOCOL §6): the work of a transaction, the base of its branch, and mint and fee.
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from './canonicalJson.ts';
import { SIGNING_PREFIX, TxEncodeError } from './signingMessage.ts';
import type { UnsignedTx } from './tx.ts';
import { encodeUtf8 } from './utf8.ts';

const SIGNING_PREFIX_BYTES = encodeUtf8(SIGNING_PREFIX).length;

/** How many nearest ancestors set a branch's work base (PROTOCOL §6: k = min(5, …)). CONSENSUS. */
const BASE_WINDOW = 5;

/** SHA-256 of the canonical JSON without `signature` and without `nonce`. */
export function workBase(tx: UnsignedTx & { signature?: string }): Uint8Array {
  const { signature: _s, nonce: _n, ...rest } = tx;
  const text = canonicalJson(rest);
  if (text === undefined) throw new TxEncodeError('the transaction has no canonical JSON form');
  return sha256(encodeUtf8(text));
}

/** The 40-byte pow pre-image: work base ‖ nonce as 8-byte big-endian. Reused by the miner's hot loop. */
export function powInput(base: Uint8Array, nonce: number): Uint8Array {
  const input = new Uint8Array(40);
  input.set(base, 0);
  writeNonce(input, nonce);
  return input;
}

/** Writes a nonce (0 ≤ nonce ≤ 2^53−1) big-endian into bytes 32..39. */
export function writeNonce(input: Uint8Array, nonce: number): void {
  const high = Math.floor(nonce / 0x1_0000_0000);
  const low = nonce >>> 0;
  input[32] = high >>> 24;
  input[33] = (high >>> 16) & 0xff;
  input[34] = (high >>> 8) & 0xff;
  input[35] = high & 0xff;
  input[36] = low >>> 24;
  input[37] = (low >>> 16) & 0xff;
  input[38] = (low >>> 8) & 0xff;
  input[39] = low & 0xff;
}

export function powHash(
  base: Uint8Array,
  nonce: number,
  sha256Of: (data: Uint8Array) => Uint8Array = sha256,
): Uint8Array {
  return sha256Of(powInput(base, nonce));
}

/** Number of leading zero bits, 0 to 256. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The work of a transaction: leading zero bits of its pow hash (an absent nonce counts as 0). */
export function workOf(tx: UnsignedTx & { signature?: string }): number {
  return leadingZeroBits(powHash(workBase(tx), tx.nonce ?? 0));
}

/**
 * workOf(tx) given its signing message (src/core/signingMessage.ts: the prefix, then the canonical JSON
 * without `signature`). Without a nonce that JSON is exactly what the work base hashes, so the
 * transaction is not serialised again; with one, it is. test/core/work.test.ts compares the two ways.
 * `sha256Of`: another SHA-256 (node:crypto's on the full node's checker threads): the same work.
 */
export function workOfSigned(
  tx: UnsignedTx & { signature?: string },
  message: Uint8Array,
  sha256Of: (data: Uint8Array) => Uint8Array = sha256,
): number {
  if (tx.nonce !== undefined) return workOf(tx);
  return leadingZeroBits(powHash(sha256Of(message.subarray(SIGNING_PREFIX_BYTES)), 0, sha256Of));
}

/**
 * The base of a branch: floor(mean work of the ≤ BASE_WINDOW nearest ancestors). `recentWork` lists the
 * parent's work first, then its parent's, and so on, as `recentWorkAfter` keeps it.
 */
export function branchBase(recentWork: readonly number[]): number {
  if (recentWork.length === 0) return 0;
  return Math.floor(recentWork.reduce((sum, w) => sum + w, 0) / recentWork.length);
}

/** The window a transaction hands its children: its own work, then its parent's window, BASE_WINDOW long. */
export function recentWorkAfter(work: number, parentRecentWork: readonly number[]): number[] {
  return [work, ...parentRecentWork].slice(0, BASE_WINDOW);
}

export interface MintAndFee {
  readonly mint: bigint;
  readonly fee: bigint;
}

/** delta = work − base; mint = max(delta, 0) × powUnit; fee = max(−delta, 0) × powUnit. */
export function mintAndFee(work: number, base: number, powUnit: bigint): MintAndFee {
  const delta = BigInt(work - base);
  return { mint: delta > 0n ? delta * powUnit : 0n, fee: delta < 0n ? -delta * powUnit : 0n };
}
