// The Node side's signature verifier: OpenSSL's Ed25519 through node:crypto (a synchronous native call,
// no WebCrypto promise or thread-pool hop) behind the strict rules of src/core/fastStrictVerifier.ts, the
// same wrapper the browser puts around WebCrypto. OpenSSL alone is not the consensus answer (it accepts
// the identity key with R = identity and S = 0 for any message): the wrapper's encoding and small-order
// checks come first and noble decides every "no". The full node, `torrenttx replay` and the benches use it.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { SignatureVerifier } from '../core/ed25519.ts';
import { fastStrictVerifier, type LaxVerifier } from '../core/fastStrictVerifier.ts';
import { bytesToHex } from '../core/hex.ts';

/** DER SubjectPublicKeyInfo up to the raw key: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33) }. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Public keys kept as KeyObjects for reuse; past this the cache is cleared (keys repeat a lot). */
export const NATIVE_KEY_CACHE_LIMIT = 4096;

/** A raw 32-byte Ed25519 public key as node:crypto's KeyObject (throws if OpenSSL cannot import it). */
export function ed25519KeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
    format: 'der',
    type: 'spki',
  });
}

/** node:crypto Ed25519 as a lax verifier (RFC 8032 equation, cofactorless, no small-order key check). */
export function nativeEd25519(): LaxVerifier {
  const keys = new Map<string, KeyObject>();
  const keyOf = (publicKey: Uint8Array): KeyObject => {
    const hex = bytesToHex(publicKey);
    let key = keys.get(hex);
    if (key === undefined) {
      if (keys.size >= NATIVE_KEY_CACHE_LIMIT) keys.clear();
      keys.set(hex, (key = ed25519KeyObject(publicKey)));
    }
    return key;
  };
  return (signature, message, publicKey) => verify(null, message, keyOf(publicKey), signature);
}

/** Strict Ed25519 (PROTOCOL §4) at native speed: what every ledger on the Node side verifies with. */
export function nodeStrictVerifier(): SignatureVerifier {
  return fastStrictVerifier(nativeEd25519());
}
