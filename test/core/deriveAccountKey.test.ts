// Wallet key derivation (docs/wallet.md): fixed words give fixed addresses, checked against values
// computed once and against node:crypto's PBKDF2 and HMAC (an independent implementation; Python's
// hashlib gives the same secrets too).
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  accountSecretOf,
  ACCOUNT_KEY_DOMAIN,
  recoveryWordsOf,
  seedOfRecoveryWords,
} from '../../src/core/deriveAccountKey.ts';
import { bytesToHex } from '../../src/core/hex.ts';
import { keyPairOf } from '../../src/core/makeTx.ts';

// The BIP39 vector for 32 zero bytes of entropy.
const ZERO_WORDS = `${'abandon '.repeat(23)}art`;
// 32 bytes 0x00, 0x01, …, 0x1f.
const COUNTING_WORDS =
  'abandon amount liar amount expire adjust cage candy arch gather drum bullet absurd math era live bid ' +
  'rhythm alien crouch range attend journey unaware';

/** The scheme again, on node:crypto. */
function nodeSecret(words: string, index: number): string {
  const seed = pbkdf2Sync(words.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
  const suffix = Buffer.alloc(4);
  suffix.writeUInt32BE(index);
  return createHmac('sha512', ACCOUNT_KEY_DOMAIN)
    .update(Buffer.concat([seed, suffix]))
    .digest('hex')
    .slice(0, 64);
}

describe('recovery words', () => {
  it('are 24 English BIP39 words for 32 bytes of entropy', () => {
    expect(recoveryWordsOf(new Uint8Array(32))).toBe(ZERO_WORDS);
    expect(recoveryWordsOf(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(COUNTING_WORDS);
  });
  it('refuse entropy of another length', () => {
    expect(() => recoveryWordsOf(new Uint8Array(16))).toThrow('need 32 bytes of entropy, got 16');
  });
  it('give the BIP39 seed with the empty passphrase', async () => {
    expect(bytesToHex(await seedOfRecoveryWords(ZERO_WORDS))).toBe(
      '408b285c123836004f4b8842c89324c1f01382450c0d439af345ba7fc49acf70' +
        '5489c6fc77dbd4e3dc1dd8cc6bc9f043db8ada1e243c4a0eafb290d399480840',
    );
  });
});

describe('accountSecretOf', () => {
  it('gives fixed keys and addresses for fixed words', async () => {
    const seed = await seedOfRecoveryWords(ZERO_WORDS);
    expect([0, 1, 2].map((i) => keyPairOf(accountSecretOf(seed, i)))).toEqual([
      {
        secretKey: 'e138237e027376f870b3c8c3a7e98e9c7cf348b684d694f0072b51f34313ca03',
        publicKey: 'c049f86a828da6d52da44e6ab7e47a0d53595f2086141785be91994edcfdaa33',
        address: 'ttx1hqfv6r57ewtqwv0qvxyfycd8t5muyspv3n7e6l3lqkhethqg8gzsxhjhte',
      },
      {
        secretKey: 'e06e5be06a99ddfa3aa8a898c6d63ca9b7d9b09e3a277295ee3205c90c3428be',
        publicKey: '96fdc6c595ae02cf04e1fff58c1d4470fb1622df17021516a614d26266517fd7',
        address: 'ttx12s6ne946g7d8d6kffzn7wffz53y9a9822zs39s59z6fummtu44aqjlcaxf',
      },
      {
        secretKey: 'dfa49b7a4f395443f5f3a449489dde0009034f51e1b392d61e5dbdaafc5546fa',
        publicKey: 'a685561cc49e9dc9af29bc2b279b7e29775edb55e11eaff6cae1f439e7fadd07',
        address: 'ttx1q2qtmqgvz9ss0cjmh33ml4wwykh76gsfjr94f9tuvnguycxq4restf8nln',
      },
    ]);
    const counting = await seedOfRecoveryWords(COUNTING_WORDS);
    expect([0, 1, 0xffff_ffff].map((i) => keyPairOf(accountSecretOf(counting, i)).address)).toEqual([
      'ttx13djxpsj30989yxhrevc8dnm5udzzkl0g36p6g24246mr4jyurecsxv948t',
      'ttx1r3zwr7fz5djsdcad09ve8nruqkn2003gu39wz5ll4v6nzq5zx9fsuqda83',
      'ttx14mvsjluf4v6hxhz4jfzfuc3flk383z9ws07jyv3zq5zudn4lyvas3f67m7',
    ]);
  });
  it('agrees with node:crypto', async () => {
    for (const words of [ZERO_WORDS, COUNTING_WORDS]) {
      const seed = await seedOfRecoveryWords(words);
      for (const index of [0, 1, 7, 256, 0xffff_ffff]) {
        expect(bytesToHex(accountSecretOf(seed, index)), `${index}`).toBe(nodeSecret(words, index));
      }
    }
  });
  it('is deterministic, and different indexes and different words give different keys', async () => {
    const seed = await seedOfRecoveryWords(COUNTING_WORDS);
    const again = await seedOfRecoveryWords(COUNTING_WORDS);
    const secrets = new Set<string>();
    for (let i = 0; i < 50; i++) {
      expect(accountSecretOf(again, i)).toEqual(accountSecretOf(seed, i));
      secrets.add(bytesToHex(accountSecretOf(seed, i)));
    }
    expect(secrets.size).toBe(50);
    const other = await seedOfRecoveryWords(ZERO_WORDS);
    expect(accountSecretOf(other, 0)).not.toEqual(accountSecretOf(seed, 0));
  });
  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses the index %s', async (index) => {
    const seed = await seedOfRecoveryWords(ZERO_WORDS);
    expect(() => accountSecretOf(seed, index)).toThrow(
      expect.objectContaining({ name: 'AccountIndexError' }) as Error,
    );
  });
});
