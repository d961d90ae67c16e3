// The bytes a transaction's signature covers (PROTOCOL §4).
import { canonicalJson } from './canonicalJson.ts';
import type { UnsignedTx } from './tx.ts';
import { encodeUtf8 } from './utf8.ts';

export const SIGNING_PREFIX = 'torrenttx:v1:';

/** UTF-8 of `torrenttx:v1:` + the canonical JSON of the transaction without `signature`. */
export function signingMessage(tx: UnsignedTx & { signature?: string }): Uint8Array {
  const { signature: _omitted, ...unsigned } = tx;
  const text = canonicalJson(unsigned);
  if (text === undefined) throw new TxEncodeError('the transaction has no canonical JSON form');
  return encodeUtf8(SIGNING_PREFIX + text);
}

export class TxEncodeError extends Error {
  override readonly name = 'TxEncodeError';
}
