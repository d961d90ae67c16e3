// Makes a new wallet: 24 recovery words from the worker's randomness and account 0 derived from them
// (docs/wallet.md). Called when a browser has no account yet, so the first account can be recovered. The
// wallet is marked `firstRun`: its words were never shown and its address never given, so the page asks
// the person to keep it or restore another one instead (src/ledger/walletSetup.ts).
import { recoveryWordsOf, RECOVERY_ENTROPY_BYTES, seedOfRecoveryWords } from '../core/deriveAccountKey.ts';
import type { StoredAccount, WalletKeyStore } from '../storage/walletKeyStore.ts';
import { derivedAccount } from './derivedAccount.ts';

export async function createWallet(
  keys: WalletKeyStore,
  randomBytes: (length: number) => Uint8Array,
  now: number,
): Promise<StoredAccount> {
  const mnemonic = recoveryWordsOf(randomBytes(RECOVERY_ENTROPY_BYTES));
  const seed = await seedOfRecoveryWords(mnemonic);
  const [first] = await keys.replaceWallet({ mnemonic, nextIndex: 1, backedUp: false, firstRun: true }, [
    derivedAccount(seed, 0, 'Account 1', now),
  ]);
  return first!;
}
