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

/** A 32-byte little-endian integer. */
function littleEndianBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** 2^255 − 19, the field prime, and L, the order of the base point (RFC 8032 5.1), as bytes. */
const P = 2n ** 255n - 19n;
const P_BYTES = littleEndianBytes(P);
const L_BYTES = littleEndianBytes(ed.Point.CURVE().n);
const ONE_BYTES = littleEndianBytes(1n);
const P_MINUS_ONE_BYTES = littleEndianBytes(P - 1n);

/** Compares two 32-byte little-endian integers: negative, zero or positive. */
function compareLittleEndian(a: Uint8Array, b: Uint8Array): number {
  for (let i = 31; i >= 0; i--) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
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
  const y = signature.slice(0, 32);
  const signBit = y[31]! & 0x80;
  y[31] = y[31]! & 0x7f;
  if (compareLittleEndian(y, P_BYTES) >= 0) return false;
  if (
    signBit !== 0 &&
    (compareLittleEndian(y, ONE_BYTES) === 0 || compareLittleEndian(y, P_MINUS_ONE_BYTES) === 0)
  ) {
    return false;
  }
  return compareLittleEndian(signature.subarray(32, 64), L_BYTES) < 0;
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
