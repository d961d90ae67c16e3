// The ledger's signature verifier: WebCrypto Ed25519 behind the strict rules of
// src/core/fastStrictVerifier.ts where the platform has it (Chromium, Node), noble alone where it does
// not. Used by the ledger worker, the Node node and tests alike.
import { verifyStrict, type SignatureVerifier } from '../core/ed25519.ts';
import { fastStrictVerifier, type LaxVerifier } from '../core/fastStrictVerifier.ts';
import { bytesToHex, hexToBytes } from '../core/hex.ts';

/** Imported public keys kept for reuse; past this the cache is cleared (one import per key after). */
export const IMPORTED_KEY_CACHE_LIMIT = 4096;

// RFC 8032 7.1, test 1: a valid signature to find out whether this platform's WebCrypto has Ed25519.
const PROBE = {
  publicKey: hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'),
  signature: hexToBytes(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ),
};

/** WebCrypto Ed25519 as a lax verifier, or undefined where the platform lacks it. */
export async function webCryptoEd25519(
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<LaxVerifier | undefined> {
  if (subtle === undefined) return undefined;
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyOf = (publicKey: Uint8Array): Promise<CryptoKey> => {
    const hex = bytesToHex(publicKey);
    let key = keys.get(hex);
    if (key === undefined) {
      if (keys.size >= IMPORTED_KEY_CACHE_LIMIT) keys.clear();
      key = subtle.importKey('raw', new Uint8Array(publicKey), { name: 'Ed25519' }, false, ['verify']);
      keys.set(hex, key);
      // A key that failed to import is not kept: the next call tries again (and noble decides meanwhile).
      key.catch(() => keys.delete(hex));
    }
    return key;
  };
  const lax: LaxVerifier = async (signature, message, publicKey) =>
    subtle.verify('Ed25519', await keyOf(publicKey), new Uint8Array(signature), new Uint8Array(message));
  try {
    if (!(await lax(PROBE.signature, new Uint8Array(0), PROBE.publicKey))) return undefined;
  } catch {
    return undefined;
  }
  return lax;
}

/** The fastest verifier this platform offers that gives the strict answer on every input. */
export async function strictVerifier(): Promise<SignatureVerifier> {
  const lax = await webCryptoEd25519();
  return lax === undefined ? verifyStrict : fastStrictVerifier(lax);
}
