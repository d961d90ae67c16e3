// Which tab of a browser profile writes a network's ledger, and one signing at a time inside it. Every
// tab of a profile shares the profile's IndexedDB, and a ledger connection that did not make the last
// commit must not write (src/storage/idbLedgerStore.ts refuses it: LedgerChangedElsewhereError); two
// writers could also choose the same tokens for two payments. So each network's ledger has one writer,
// elected with the Web Locks API: the ledger worker asks for the network's lock before it opens the
// ledger and keeps it for its life. A tab that finds it taken tells its page (which says so) and waits
// in the lock's queue; when the holder's tab closes, its worker ends, the browser releases the lock and
// the next tab in line opens the ledger as stored and carries on. Nothing is lost in the handover: the
// closing tab's batches were each written whole or not at all, and its signed payments are stored
// before they are published, so the new holder's gossip offers them to every peer it meets.

/** The part of the Web Locks API used here (navigator.locks in a page or a worker). */
export interface LockRequester {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => T): Promise<unknown>;
  request<T>(name: string, callback: (lock: unknown) => T): Promise<unknown>;
}

/** One lock per network: the writer of one network's ledger does not stop another network's. */
export function ledgerWriterLockName(genesisId: string): string {
  return `torrenttx-ledger-writer-${genesisId}`;
}

/**
 * Resolves once this context holds the writer lock of `genesisId`'s ledger, which it then keeps until it
 * ends. If another context holds it, `onWaiting` is called once and this waits in the lock's queue.
 * Without the Web Locks API (an insecure origin) it resolves at once: the store's commit check remains.
 */
export async function holdLedgerWriterLock(
  locks: LockRequester | undefined,
  genesisId: string,
  onWaiting: () => void,
): Promise<void> {
  if (locks === undefined) return;
  const name = ledgerWriterLockName(genesisId);
  // The callback's promise never settles: the lock is held until the worker (the tab) ends.
  const forever = new Promise<void>(() => {});
  const taken = await new Promise<boolean>((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock === null ? undefined : forever;
      })
      .catch(reject);
  });
  if (taken) return;
  onWaiting();
  await new Promise<void>((resolve, reject) => {
    locks
      .request(name, () => {
        resolve();
        return forever;
      })
      .catch(reject);
  });
}

/**
 * Runs the calls it is given one at a time, in order: a payment is checked against what is left of its
 * sources and signed before the next one is checked, so two payments never both spend the same tokens.
 */
export function oneAtATime(): <T>(run: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run);
    last = next.catch(() => {});
    return next;
  };
}
