// Reads of the node's page that run inside the page, in any browser: plain functions (no imports, no
// closures: a driver sends their source) handed to Playwright's or puppeteer's evaluate and waitForFunction,
// so the Chromium and the Firefox tests read the page by one rule.

/** A history entry as the page shows it: its transaction id, the one status word a person reads, and its amount. */
export interface ShownEntry {
  readonly id: string;
  readonly word: string;
  /** The amount as written, with its sign and grouping ("+1,121"): a payment's value, mint included. */
  readonly amount: string;
}

/** The history entry with this memo and this ledger status (data-status), once the page shows it. */
export function entryInPage([memo, status]: readonly [string, string]): ShownEntry | undefined {
  for (const entry of document.querySelectorAll<HTMLElement>('[data-testid=history-entry]')) {
    const memoText = entry.querySelector('[data-testid=history-memo]')?.textContent;
    if (memoText === memo && entry.dataset.status === status) {
      const word = entry.querySelector('[data-testid=history-state]')?.textContent?.trim() ?? '';
      const amount = entry.querySelector('.amount')?.textContent?.trim() ?? '';
      return { id: entry.dataset.id!, word, amount };
    }
  }
  return undefined;
}

/** A ledger as stored in a page's IndexedDB: records in arrival order (those with bytes), and balances. */
export interface StoredLedger {
  /** Each record's bytes, base64. */
  readonly bytes: string[];
  /** Each record's status, beside its bytes. */
  readonly statuses: string[];
  readonly balances: Record<string, string>;
}

export function ledgerDatabaseName(genesisId: string): string {
  return `torrenttx-ledger-${genesisId}`;
}

/** Reads the ledger database `name` whole: every record's bytes and status, and the balances. */
export async function storedLedgerInPage(name: string): Promise<StoredLedger> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  // Both stores in one transaction: one consistent state even if a tab is writing.
  const read = db.transaction(['txs', 'log']);
  const all = <T>(store: string) =>
    new Promise<T[]>((resolve, reject) => {
      const request = read.objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result as T[]);
      request.onerror = () => reject(request.error);
    });
  // Schema 3 (src/storage/ledgerLog.ts): rows keep the bytes; balances live in the log, one row per
  // batch, later rows winning, each naming parties (addresses) by number in the order the log met them.
  const [records, log] = await Promise.all([
    all<{ arrival: number; bytes: Uint8Array | null; status: string }>('txs'),
    all<{
      parties: string[];
      balanceParties: Uint32Array;
      balances: BigInt64Array;
      bigBalances?: [number, bigint][];
    }>('log'),
  ]);
  db.close();
  const parties: string[] = [];
  const balances = new Map<string, bigint>();
  for (const row of log) {
    parties.push(...row.parties);
    row.balances.forEach((balance, i) => balances.set(parties[row.balanceParties[i]!]!, balance));
    for (const [party, balance] of row.bigBalances ?? []) balances.set(parties[party]!, balance);
  }
  const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const withBytes = records.sort((a, b) => a.arrival - b.arrival).filter((r) => r.bytes !== null);
  return {
    bytes: withBytes.map((r) => toBase64(r.bytes!)),
    statuses: withBytes.map((r) => r.status),
    balances: Object.fromEntries([...balances].map(([address, balance]) => [address, balance.toString()])),
  };
}
