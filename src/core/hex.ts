// Hex helpers with the project's one spelling of hex: lowercase, even length.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, hexToBytes };

const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/** True when `text` is lowercase hex of exactly `byteLength` bytes. */
export function isLowerHex(text: string, byteLength: number): boolean {
  return text.length === byteLength * 2 && LOWER_HEX.test(text);
}

const HEX_DIGITS = '0123456789abcdef';
/** Char codes of the two hex digits of each byte value. */
const HEX_PAIRS = Uint16Array.from({ length: 512 }, (_, i) =>
  HEX_DIGITS.charCodeAt(i & 1 ? (i >> 1) & 15 : i >> 5),
);
/** Scratch of the last length asked for (ids are all one length, so it is rarely replaced). */
let hexCodes = new Uint16Array(40);

/**
 * Hex of `bytes[offset, offset + length)`, spelled as bytesToHex spells it, built as one string: about 3×
 * faster than bytesToHex on 20-byte ids, which matters when 100,000 ids are listed.
 */
export function hexAt(bytes: Uint8Array, offset: number, length: number): string {
  if (hexCodes.length !== 2 * length) hexCodes = new Uint16Array(2 * length);
  const codes = hexCodes;
  for (let k = 0; k < length; k++) {
    const b = bytes[offset + k] as number;
    codes[2 * k] = HEX_PAIRS[2 * b] as number;
    codes[2 * k + 1] = HEX_PAIRS[2 * b + 1] as number;
  }
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}
