// The one configured Ed25519 instance of the core: @noble/ed25519 with synchronous SHA-512 from
// @noble/hashes, verifying strictly as PROTOCOL §4 requires (zip215: false rejects non-canonical
// encodings and small-order keys). Every other file signs and verifies through this one.
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

ed.hashes.sha512 = sha512;

/** Strict RFC 8032 / FIPS 186-5 verification: the consensus answer. Never throws. */
export function verifyStrict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export function signMessage(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed.sign(message, secretKey);
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return ed.getPublicKey(secretKey);
}

/** Same-answer verifier signature: a fast path (WebCrypto) may stand in where it agrees on every vector. */
export type SignatureVerifier = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean | Promise<boolean>;
