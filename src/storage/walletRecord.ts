// The wallet's own record in the wallet database (schema version 2): its recovery words, the next
// account index to derive, which account is active, and whether the person confirmed a backup. One
// wallet per browser; read and written only in the ledger worker, like the secret keys.

export interface WalletRecord {
  /** The 24 BIP39 words (docs/wallet.md); null until made (a wallet upgraded from version 1 has none). */
  readonly mnemonic: string | null;
  /** The index the next added account derives (src/core/deriveAccountKey.ts). */
  readonly nextIndex: number;
  /** The id of the active account in the `accounts` store; null: the first one. */
  readonly activeId: number | null;
  /** The person wrote the words down and confirmed some of them. */
  readonly backedUp: boolean;
}

/** The one key of the `wallet` store. */
export const WALLET_RECORD_KEY = 'wallet';
