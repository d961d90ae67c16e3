// Hex helpers with the project's one spelling of hex: lowercase, even length.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, hexToBytes };

const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/** True when `text` is lowercase hex of exactly `byteLength` bytes. */
export function isLowerHex(text: string, byteLength: number): boolean {
  return text.length === byteLength * 2 && LOWER_HEX.test(text);
}
