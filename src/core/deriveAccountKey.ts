// Wallet key derivation: 24 recovery words (BIP39, English list) → BIP39 seed → one Ed25519 secret key
// per account index. Not consensus: the network only ever sees public keys and signatures; this scheme
// matters so that the same words give the same accounts in every browser and in any other wallet that
// follows docs/wallet.md.
//
//   entropy  = 32 random bytes (256 bits)
//   words    = BIP39 entropyToMnemonic(entropy, English list)           24 words, 8-bit checksum
//   seed     = BIP39 mnemonicToSeed(words, passphrase "")               PBKDF2-HMAC-SHA512, 2048 rounds, 64 bytes
//   secret_i = HMAC-SHA512(key = utf8("torrenttx account"), msg = seed ‖ uint32be(i))[0..32)
//
// secret_i is an RFC 8032 Ed25519 secret key (any 32 bytes are one); the public key and the address
// follow from it as for every key (PROTOCOL §3). We do not use BIP32/SLIP-0010 paths: an account is one
// index, there are no chains or hardened levels to agree on, and the scheme fits in one line above.
import { entropyToMnemonic, mnemonicToSeed } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { encodeUtf8 } from './utf8.ts';

/** The HMAC key that separates TorrentTX account keys from any other use of the same seed. */
export const ACCOUNT_KEY_DOMAIN = 'torrenttx account';
export const RECOVERY_WORD_COUNT = 24;
export const RECOVERY_ENTROPY_BYTES = 32;
/** Account indexes are unsigned 32-bit integers (they are written as uint32be). */
export const MAX_ACCOUNT_INDEX = 0xffff_ffff;

export class AccountIndexError extends Error {
  override readonly name = 'AccountIndexError';
}

/** 24 English BIP39 words for 32 bytes of entropy (the caller supplies the randomness). */
export function recoveryWordsOf(entropy: Uint8Array): string {
  if (entropy.length !== RECOVERY_ENTROPY_BYTES) {
    throw new RangeError(
      `recovery words need ${RECOVERY_ENTROPY_BYTES} bytes of entropy, got ${entropy.length}`,
    );
  }
  return entropyToMnemonic(entropy, wordlist);
}

/** The 64-byte BIP39 seed of a mnemonic, with the empty passphrase. Slow on purpose (PBKDF2, 2048 rounds). */
export function seedOfRecoveryWords(words: string): Promise<Uint8Array> {
  return mnemonicToSeed(words, '');
}

/** Account `index`'s 32-byte Ed25519 secret key under a BIP39 seed. */
export function accountSecretOf(seed: Uint8Array, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index > MAX_ACCOUNT_INDEX) {
    throw new AccountIndexError(
      `an account index is an integer from 0 to ${MAX_ACCOUNT_INDEX}, got ${index}`,
    );
  }
  const message = new Uint8Array(seed.length + 4);
  message.set(seed, 0);
  new DataView(message.buffer).setUint32(seed.length, index, false);
  return hmac(sha512, encodeUtf8(ACCOUNT_KEY_DOMAIN), message).slice(0, 32);
}
