// A stored account for index `index` under a BIP39 seed (src/core/deriveAccountKey.ts): what the wallet
// keeps for an account it can derive again from the recovery words.
import { accountSecretOf } from '../core/deriveAccountKey.ts';
import { keyPairOf } from '../core/makeTx.ts';
import type { StoredAccount } from '../storage/walletKeyStore.ts';

export function derivedAccount(
  seed: Uint8Array,
  index: number,
  label: string,
  created: number,
): Omit<StoredAccount, 'id'> {
  return { label, ...keyPairOf(accountSecretOf(seed, index)), created, index };
}
