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

/** 2^255 − 19, the field prime, and L, the order of the base point (RFC 8032 5.1). */
const P = 2n ** 255n - 19n;
const L = ed.Point.CURVE().n;

/** An unsigned little-endian 32-byte integer, with the top bit of the last byte cleared if asked. */
function littleEndian(bytes: Uint8Array, clearTop: boolean): bigint {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(i === 31 && clearTop ? bytes[i]! & 0x7f : bytes[i]!);
  return n;
}

/**
 * Is this a public key strict verification can accept: a canonical encoding of a curve point that is
 * not of small order? These are noble's own rules (zip215: false decodes A with y < p and no x = 0 with
 * the sign bit set; small-order keys are refused), asked of noble itself.
 */
export function isStrictPublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  try {
    return !ed.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    return false;
  }
}

/**
 * The rest of what strict verification requires before its equation, on the signature's bytes alone:
 * S < L, and R's encoding canonical (y < p, and no sign bit on an x = 0 point, i.e. y = ±1). Whether
 * R is on the curve is left to the equation: a verifier that recomputes R and compares encodings (as
 * RFC 8032 5.1.7 and BoringSSL/OpenSSL do) can only match a canonical encoding of a real point.
 */
export function hasStrictSignatureEncoding(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const r = signature.subarray(0, 32);
  const y = littleEndian(r, true);
  if (y >= P) return false;
  if ((r[31]! & 0x80) !== 0 && (y === 1n || y === P - 1n)) return false;
  return littleEndian(signature.subarray(32, 64), false) < L;
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
