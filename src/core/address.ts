// Addresses (PROTOCOL §3): bech32m, human-readable part `ttx`, data SHA-256 of the 32-byte public key.
import { bech32m } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from './hex.ts';

export const ADDRESS_HRP = 'ttx';
export const ADDRESS_LENGTH = 62;

export function addressOfKey(publicKey: Uint8Array): string {
  return bech32m.encode(ADDRESS_HRP, bech32m.toWords(sha256(publicKey)));
}

/** Addresses of recently seen keys: the ledger asks for the sender's address on every payment. */
export const ADDRESS_MEMO_LIMIT = 4096;
const addressMemo = new Map<string, string>();

export function addressOfKeyHex(publicKeyHex: string): string {
  let address = addressMemo.get(publicKeyHex);
  if (address === undefined) {
    if (addressMemo.size >= ADDRESS_MEMO_LIMIT) addressMemo.clear();
    address = addressOfKey(hexToBytes(publicKeyHex));
    addressMemo.set(publicKeyHex, address);
  }
  return address;
}

export type AddressCheck = { ok: true; hash: string } | { ok: false; problem: string };

/** Answers of checkAddress kept for reuse (a ledger checks the same recipients over and over). */
export const ADDRESS_CHECK_MEMO_LIMIT = 4096;
const addressChecks = new Map<string, AddressCheck>();

/**
 * Checks a string as a recipient address and says what is wrong in words a person can act on. Used for
 * consensus (PROTOCOL §5.4 treats a bad `to` as malformed) and by the wallet's send form alike.
 */
export function checkAddress(text: string): AddressCheck {
  let answer = addressChecks.get(text);
  if (answer === undefined) {
    if (addressChecks.size >= ADDRESS_CHECK_MEMO_LIMIT) addressChecks.clear();
    answer = checkAddressText(text);
    // Only strings of an address's length are kept: anything longer is never an address.
    if (text.length <= ADDRESS_LENGTH) addressChecks.set(text, answer);
  }
  return answer;
}

function checkAddressText(text: string): AddressCheck {
  if (text.length === 0) return { ok: false, problem: 'the address is empty' };
  if (text !== text.toLowerCase()) return { ok: false, problem: 'an address is lowercase only' };
  if (!text.startsWith(`${ADDRESS_HRP}1`)) return { ok: false, problem: 'an address starts with "ttx1"' };
  if (text.length !== ADDRESS_LENGTH) {
    return { ok: false, problem: `an address has ${ADDRESS_LENGTH} characters, this one has ${text.length}` };
  }
  let decoded;
  try {
    decoded = bech32m.decode(text as `${string}1${string}`, ADDRESS_LENGTH);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/checksum/i.test(message)) {
      return { ok: false, problem: 'checksum does not match — a character is mistyped' };
    }
    if (/unknown letter|wrong char|invalid/i.test(message)) {
      return { ok: false, problem: 'the address holds a character that bech32m does not use (b, i, o, 1)' };
    }
    return { ok: false, problem: `not a bech32m address (${message})` };
  }
  if (decoded.prefix !== ADDRESS_HRP) return { ok: false, problem: 'an address starts with "ttx1"' };
  let data: Uint8Array;
  try {
    data = bech32m.fromWords(decoded.words);
  } catch {
    return { ok: false, problem: 'the address does not hold a 32-byte key hash' };
  }
  if (data.length !== 32) return { ok: false, problem: 'the address does not hold a 32-byte key hash' };
  return { ok: true, hash: bytesToHex(data) };
}
