// The wallet's own record in the wallet database (schema version 2): its recovery words, the next
// account index to derive, which account is active, and whether the person confirmed a backup. One
// wallet per browser; read and written only in the ledger worker, like the secret keys. With a
// passphrase (src/ledger/walletLock.ts) the words and imported keys are sealed in `sealed` instead, and
// `mnemonic` is null: a record written before passphrases existed opens as an unlocked wallet.
import type { KeyEnvelope } from '../ledger/keyEnvelope.ts';

export interface WalletRecord {
  /** The 24 BIP39 words (docs/wallet.md); null until made (a wallet upgraded from version 1 has none). */
  readonly mnemonic: string | null;
  /** The index the next added account derives (src/core/deriveAccountKey.ts). */
  readonly nextIndex: number;
  /** The id of the active account in the `accounts` store; null: the first one. */
  readonly activeId: number | null;
  /** The person wrote the words down and confirmed some of them. */
  readonly backedUp: boolean;
  /**
   * Set while a passphrase locks the wallet: the recovery words and imported secret keys, sealed
   * (src/ledger/keyEnvelope.ts). `mnemonic` is then null and no account row keeps its secret key.
   */
  readonly sealed?: KeyEnvelope;
  /** Minutes without use after which an unlocked wallet locks itself; 0: never; absent: the default. */
  readonly autoLockMinutes?: number;
  /**
   * True on a wallet made at a profile's first open, until the person keeps it ("Create a new wallet")
   * or replaces it ("Restore from recovery words") on the first-run screen (src/ui/FirstRun.svelte).
   * Absent on wallets made before that screen existed: they were in use, so they are not new.
   */
  readonly firstRun?: boolean;
}

/** The one key of the `wallet` store. */
export const WALLET_RECORD_KEY = 'wallet';
