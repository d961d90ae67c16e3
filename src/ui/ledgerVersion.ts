// A key that changes only when the wallet's view of the ledger did (the snapshot is a new object on every
// refresh): the ledger graph and an open transaction detail load again when it changes.
import type { WalletSnapshot } from '../ledger/walletSnapshot.ts';

export function ledgerVersion(wallet: WalletSnapshot): string {
  return [
    wallet.address,
    wallet.ledger.known,
    wallet.ledger.accepted,
    wallet.ledger.held,
    wallet.ledger.rejected,
    ...wallet.history.map((entry) => `${entry.id}:${entry.status}`),
  ].join(' ');
}
