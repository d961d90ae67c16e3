// Checks 1–4 of PROTOCOL §5: size, JSON, canonical bytes and the fields of §2. Pure and total: any input
// gives a result, never an exception (test/core/parseTxTotal.test.ts feeds it random bytes).
import { checkAddress } from './address.ts';
import { canonicalJson } from './canonicalJson.ts';
import { isLowerHex } from './hex.ts';
import { memoProblem, tokensProblem } from './fieldProblems.ts';
import { MAX_SAFE, MAX_TX_BYTES, TX_FIELDS, type Tx } from './tx.ts';
import { decodeUtf8Strict } from './utf8.ts';

export type ParseResult =
  | { ok: true; tx: Tx; text: string }
  | { ok: false; reason: 'too-large' | 'malformed' | 'non-canonical'; detail: string };

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Says what is wrong with the fields of a parsed object (check 4), or undefined when nothing is. */
export function fieldProblem(value: Record<string, unknown>): string | undefined {
  for (const name of Object.keys(value)) {
    if (!TX_FIELDS.has(name)) return `unknown field "${name.slice(0, 40)}"`;
  }
  const { tokens, to, key, time, prev, nonce, memo, signature } = value;
  if (typeof tokens !== 'number') return '"tokens" must be a number';
  const tokensWrong = tokensProblem(tokens);
  if (tokensWrong !== undefined) return `"tokens" ${tokensWrong}`;
  if (typeof to !== 'string') return '"to" must be a ttx1… address string';
  const address = checkAddress(to);
  if (!address.ok) return `"to" is not a valid address: ${address.problem}`;
  if (typeof key !== 'string' || !isLowerHex(key, 32)) return '"key" must be 64 lowercase hex characters';
  if (!isIntegerIn(time, 0, MAX_SAFE)) return '"time" must be an integer from 0 to 2^53-1 (ms since 1970)';
  if (prev === undefined) return 'missing field "prev"';
  if (prev !== null && (typeof prev !== 'string' || !isLowerHex(prev, 20))) {
    return '"prev" must be a 40-character lowercase hex id or null';
  }
  if (nonce !== undefined && !isIntegerIn(nonce, 0, MAX_SAFE)) {
    return '"nonce" must be an integer from 0 to 2^53-1';
  }
  if (memo !== undefined) {
    if (typeof memo !== 'string') return '"memo" must be a string';
    const memoWrong = memoProblem(memo);
    if (memoWrong !== undefined) return `"memo" ${memoWrong}`;
  }
  if (typeof signature !== 'string' || !isLowerHex(signature, 64)) {
    return '"signature" must be 128 lowercase hex characters';
  }
  return undefined;
}

/** Parses tx.json bytes under checks 1–4; the signature (check 5) is checked elsewhere. */
export function parseTx(bytes: Uint8Array): ParseResult {
  // §5.1
  if (bytes.length > MAX_TX_BYTES) {
    return { ok: false, reason: 'too-large', detail: `${bytes.length} bytes, at most ${MAX_TX_BYTES}` };
  }
  // §5.2. A BOM is kept as a character by the strict decoder, so JSON.parse rejects it here.
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) return { ok: false, reason: 'malformed', detail: 'not UTF-8' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'malformed', detail: 'not a JSON object' };
  }
  // §5.3. JSON.parse keeps the last of repeated names and makes `__proto__` an own member, both as the
  // protocol says, so re-serialising the parsed value and comparing catches every other byte form.
  if (canonicalJson(value) !== text) {
    return { ok: false, reason: 'non-canonical', detail: 'bytes are not the RFC 8785 form of their value' };
  }
  // §5.4
  const problem = fieldProblem(value as Record<string, unknown>);
  if (problem !== undefined) return { ok: false, reason: 'malformed', detail: problem };
  return { ok: true, tx: value as Tx, text };
}
