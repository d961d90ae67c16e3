// A fast verifier that still gives the strict consensus answer of PROTOCOL §4: a faster but laxer
// Ed25519 implementation (WebCrypto or node:crypto, handed in by the caller: the core names no platform crypto) is
// asked only after the strict encoding rules passed, and any "no" or error it gives is asked again of
// noble. CONSENSUS CODE.
//
// Why this is the strict verdict: a lax verifier differs from noble's zip215:false in what it lets
// through (non-canonical or small-order keys, S ≥ L, non-canonical R: the ed25519-speccheck cases) and
// in using the cofactorless equation [S]B = R + [k]A where noble uses the cofactored one. The encoding
// rules are checked here first (isStrictPublicKey, hasStrictSignatureEncoding); then a "yes" from the
// cofactorless equation implies noble's cofactored one, and every "no" goes to noble, which decides.
import {
  hasStrictSignatureEncoding,
  isStrictPublicKey,
  verifyStrict,
  type SignatureVerifier,
} from './ed25519.ts';
import { bytesToHex } from './hex.ts';

/**
 * A verifier that may be laxer than strict but never rejects what the RFC 8032 equation accepts:
 * asynchronous (WebCrypto) or synchronous (node:crypto).
 */
export type LaxVerifier = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean | Promise<boolean>;

/** Public keys whose strict check is remembered; past this the memory is cleared (keys repeat a lot). */
export const KEY_CHECK_CACHE_LIMIT = 4096;

export function fastStrictVerifier(lax: LaxVerifier): SignatureVerifier {
  const keyOk = new Map<string, boolean>();
  const strictKey = (publicKey: Uint8Array): boolean => {
    const hex = bytesToHex(publicKey);
    let ok = keyOk.get(hex);
    if (ok === undefined) {
      if (keyOk.size >= KEY_CHECK_CACHE_LIMIT) keyOk.clear();
      keyOk.set(hex, (ok = isStrictPublicKey(publicKey)));
    }
    return ok;
  };
  return async (signature, message, publicKey) => {
    if (!hasStrictSignatureEncoding(signature) || !strictKey(publicKey)) return false;
    let fast = false;
    try {
      fast = await lax(signature, message, publicKey);
    } catch {
      fast = false;
    }
    return fast || verifyStrict(signature, message, publicKey);
  };
}
