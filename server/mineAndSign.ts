// Makes a signed transaction whose work reaches `bits`: mine the nonce first, then sign, so that one
// signature covers the found nonce (PROTOCOL §6). Mining runs on the calling thread: the devnet asks for
// a few bits only (2^8 hashes on average, well under a millisecond).
import { encodeWithId, signTx, type EncodedTx } from '../src/core/makeTx.ts';
import { mineNonce } from '../src/core/mineNonce.ts';
import type { UnsignedTx } from '../src/core/tx.ts';
import { workBase } from '../src/core/work.ts';
import { MiningError } from './miningError.ts';

export function mineAndSign(unsigned: UnsignedTx, bits: number, secretKey: Uint8Array): EncodedTx {
  let nonce: number | undefined;
  for (const state of mineNonce(workBase(unsigned), bits, { chunk: 65536 })) {
    if (state.found) nonce = state.bestNonce;
  }
  if (nonce === undefined) throw new MiningError(`no nonce reaches ${bits} bits of work`);
  // An absent nonce counts as 0 (PROTOCOL §2): leave it out when 0 already has the work.
  return encodeWithId(signTx(nonce === 0 ? unsigned : { ...unsigned, nonce }, secretKey));
}
