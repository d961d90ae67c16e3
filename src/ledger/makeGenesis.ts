// Makes a genesis transaction (PROTOCOL §7: the one transaction with `prev: null` that names a network):
// all its tokens to the signer's own address, mined first and signed after, so one signature covers the
// nonce (PROTOCOL §6). Its work becomes the branch base of the first spends, as on the devnet.
import { hexToBytes } from '../core/hex.ts';
import { encodeWithId, signTx, type EncodedTx } from '../core/makeTx.ts';
import { mineNonce } from '../core/mineNonce.ts';
import { tokensProblem } from '../core/fieldProblems.ts';
import type { UnsignedTx } from '../core/tx.ts';
import { workBase } from '../core/work.ts';

/** The devnet's genesis work (server/devnet.ts): 2^8 hashes on average, well under a millisecond. */
export const GENESIS_WORK_BITS = 8;
export const DEFAULT_GENESIS_TOKENS = 10 ** 12;

export class GenesisError extends Error {
  override readonly name = 'GenesisError';
}

export interface GenesisOwner {
  readonly publicKey: string;
  /** Hex; used here, inside the ledger worker, and returned nowhere. */
  readonly secretKey: string;
  readonly address: string;
}

export function makeGenesis(
  owner: GenesisOwner,
  tokens: number,
  time: number,
  bits: number = GENESIS_WORK_BITS,
): EncodedTx {
  const tokensWrong = tokensProblem(tokens);
  if (tokensWrong !== undefined) throw new GenesisError(`the supply ${tokensWrong}`);
  const unsigned: UnsignedTx = { tokens, to: owner.address, key: owner.publicKey, time, prev: null };
  let nonce: number | undefined;
  for (const state of mineNonce(workBase(unsigned), bits, { chunk: 65536 })) {
    if (state.found) nonce = state.bestNonce;
  }
  if (nonce === undefined) throw new GenesisError(`no nonce reaches ${bits} bits of work`);
  // An absent nonce counts as 0 (PROTOCOL §2): leave it out when 0 already has the work.
  const tx = nonce === 0 ? unsigned : { ...unsigned, nonce };
  return encodeWithId(signTx(tx, hexToBytes(owner.secretKey)));
}
