// A nonce miner for PROTOCOL §6 that works in chunks, so a worker can report progress between chunks
// and stop when told. Mining needs only the work base, never the secret key: the wallet mines first and
// signs the found nonce afterwards.
import { sha256 } from '@noble/hashes/sha2.js';
import { MAX_SAFE } from './tx.ts';
import { leadingZeroBits, powInput, writeNonce } from './work.ts';

export interface MiningState {
  /** Hashes computed so far. */
  readonly hashes: number;
  /** Best work seen so far, and the nonce that gave it. */
  readonly bestWork: number;
  readonly bestNonce: number;
  /** True once a nonce with work ≥ target was found (then bestNonce is it). */
  readonly found: boolean;
}

export interface MineOptions {
  /** First nonce to try; a pool gives each worker its own start and `stride`. */
  readonly start?: number;
  readonly stride?: number;
  /** Hashes per chunk between progress reports. */
  readonly chunk?: number;
}

/** Tries `count` nonces start, start+stride, …; returns the best and whether one reached `target` bits. */
export function mineChunk(
  base: Uint8Array,
  target: number,
  start: number,
  stride: number,
  count: number,
): MiningState {
  const input = powInput(base, start);
  let bestWork = -1;
  let bestNonce = start;
  let nonce = start;
  let hashes = 0;
  for (; hashes < count && nonce <= MAX_SAFE; hashes++, nonce += stride) {
    writeNonce(input, nonce);
    const work = leadingZeroBits(sha256(input));
    if (work > bestWork) {
      bestWork = work;
      bestNonce = nonce;
      if (work >= target) return { hashes: hashes + 1, bestWork, bestNonce, found: true };
    }
  }
  return { hashes, bestWork, bestNonce, found: false };
}

/**
 * Mines until a nonce reaches `target` bits, yielding the running state after every chunk. The caller
 * aborts by no longer iterating (or `return()`); the last yielded state with `found` holds the nonce.
 */
export function* mineNonce(
  base: Uint8Array,
  target: number,
  options: MineOptions = {},
): Generator<MiningState> {
  const stride = options.stride ?? 1;
  const chunk = options.chunk ?? 4096;
  let next = options.start ?? 0;
  let hashes = 0;
  let bestWork = -1;
  let bestNonce = next;
  while (next <= MAX_SAFE) {
    const result = mineChunk(base, target, next, stride, chunk);
    hashes += result.hashes;
    if (result.bestWork > bestWork) {
      bestWork = result.bestWork;
      bestNonce = result.bestNonce;
    }
    next += result.hashes * stride;
    yield { hashes, bestWork, bestNonce, found: result.found };
    if (result.found) return;
  }
}
