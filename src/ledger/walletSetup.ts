// What the page needs to know of the wallet's setup, read from the wallet record (no secret in it):
// whether the first-run screen is due (a new wallet nobody chose yet, src/ledger/createWallet.ts) and
// whether the recovery words are backed up (Home reminds the person until they are).

import type { WalletRecord } from '../storage/walletRecord.ts';

export interface WalletSetup {
  /** The wallet was made at this profile's first open and the person has not kept or replaced it. */
  readonly firstRun: boolean;
  /** The person confirmed a backup of the recovery words (or restored from them). */
  readonly backedUp: boolean;
}

/**
 * The setup of a stored wallet record. No record at all is a wallet of schema version 1 (imported keys,
 * in use before recovery words existed): not new, and not backed up.
 */
export function walletSetupOf(record: WalletRecord | undefined): WalletSetup {
  return { firstRun: record?.firstRun === true, backedUp: record?.backedUp ?? false };
}

/** Home reminds the person to back up the words: a wallet in use (past the first run) not backed up. */
export function backupReminderDue(setup: WalletSetup | null): boolean {
  return setup !== null && !setup.firstRun && !setup.backedUp;
}
