// The field rules of PROTOCOL §2 a person can get wrong: one checker per field, returning the problem in
// words (to follow the field's name: `"memo" is 300 UTF-8 bytes, at most 280`) or undefined. The parser,
// the ledger service, payment links, the CLI and the send form all call these; the address has its own
// checker, checkAddress (address.ts). CONSENSUS: parseTx rejects what these reject.
import { MAX_MEMO_BYTES, MAX_SAFE } from './tx.ts';
import { encodeUtf8 } from './utf8.ts';

/** How a rejected value is shown: text quoted and cut at 40 characters, anything else as JSON gives it. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'number' ? String(value) : typeof value;
}

/**
 * tokens: an integer from 1 to 2^53−1. Text (from a form, a link or the command line) must be decimal
 * digits; `tokensOfText` turns checked text into the number.
 */
export function tokensProblem(tokens: number | string): string | undefined {
  const value = typeof tokens === 'string' ? tokensOfText(tokens) : tokens;
  if (Number.isSafeInteger(value) && value >= 1 && value <= MAX_SAFE) return undefined;
  return `must be a whole number from 1 to 2^53-1, got ${shown(tokens)}`;
}

/** The number decimal digits name (leading zeros dropped); NaN for anything else. Check it first. */
export function tokensOfText(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

/** memo: at most MAX_MEMO_BYTES bytes of UTF-8. */
export function memoProblem(memo: string): string | undefined {
  const bytes = encodeUtf8(memo).length;
  return bytes > MAX_MEMO_BYTES ? `is ${bytes} UTF-8 bytes, at most ${MAX_MEMO_BYTES}` : undefined;
}
