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

/** What the signature member of a canonical tx.json starts with (PROTOCOL §2: `prev` sorts before it). */
const SIGNATURE_MEMBER = ',"signature":"';
/** The member's length: its start, 128 hex digits and the closing quote. */
const SIGNATURE_MEMBER_LENGTH = SIGNATURE_MEMBER.length + 128 + 1;

/**
 * signingMessage(tx) of a transaction given its canonical text (parseTx checked that the text is
 * canonicalJson of tx), by cutting the signature member out of the text: the same bytes without
 * serialising the transaction again. Canonical JSON lists members sorted and comma-separated, so
 * removing one member leaves the canonical form of the others; `prev` is required and sorts before
 * `signature`, so a comma always precedes it; and inside a string every quote is escaped, so
 * `,"signature":"` can only be that member. CONSENSUS CODE: test/core/signingMessage.test.ts compares
 * the two ways on every kind of transaction.
 */
export function signingMessageOfCanonical(tx: UnsignedTx & { signature?: string }, text: string): Uint8Array {
  const at = text.indexOf(SIGNATURE_MEMBER);
  if (at < 0 || tx.signature === undefined) return signingMessage(tx);
  return encodeUtf8(SIGNING_PREFIX + text.slice(0, at) + text.slice(at + SIGNATURE_MEMBER_LENGTH));
}

export class TxEncodeError extends Error {
  override readonly name = 'TxEncodeError';
}
