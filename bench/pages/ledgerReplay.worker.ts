// The ledger-over-IndexedDB replay for `npm run bench:sync`, in a dedicated worker as the app's ledger
// runs: the generated DAG replayed into the real IdbLedgerStore (no network), then the raw limit on the
// same transactions in the same worker: WebCrypto verifies of the same signatures and a batched
// IndexedDB write of the same records (one transaction per batch, no index).
import { expose } from 'comlink';
import { hexToBytes } from '../../src/core/hex.ts';
import { Ledger } from '../../src/core/ledger.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { signingMessage } from '../../src/core/signingMessage.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { strictVerifier, webCryptoEd25519 } from '../../src/ledger/webCryptoVerifier.ts';
import { IdbLedgerStore, ledgerDbName } from '../../src/storage/idbLedgerStore.ts';

export interface ReplayFigures {
  readonly txs: number;
  readonly accepted: number;
  readonly replayMs: number;
  /** Of the replay: time in the store's commit, and in its reads (getTxs). */
  readonly commitMs: number;
  readonly readMs: number;
  /** The same replay without signature checks (what the store and decisions cost alone). */
  readonly replayNoVerifyMs: number;
  readonly rawVerifyMs: number;
  readonly rawWriteMs: number;
  /** navigator.storage.estimate() usage added by the replayed ledger. */
  readonly storedBytes: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function usage(): Promise<number> {
  return (await navigator.storage.estimate()).usage ?? 0;
}

async function replay(
  name: string,
  genesisId: string,
  txs: Uint8Array[],
  batch: number,
  verify: boolean,
): Promise<{ ms: number; accepted: number; commitMs: number; readMs: number }> {
  await request(indexedDB.deleteDatabase(ledgerDbName(name)));
  const store = await IdbLedgerStore.open(name);
  const spent = { commitMs: 0, readMs: 0 };
  const timed =
    <A extends unknown[], R>(what: keyof typeof spent, f: (...a: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t = performance.now();
      try {
        return await f(...args);
      } finally {
        spent[what] += performance.now() - t;
      }
    };
  store.commit = timed('commitMs', store.commit.bind(store));
  if (store.getTxs) store.getTxs = timed('readMs', store.getTxs.bind(store));
  const ledger = new Ledger(
    store,
    { genesisId, powUnit: 1n },
    { verify: verify ? await strictVerifier() : () => true },
  );
  const now = Date.parse('2027-06-01T00:00:00Z');
  const t0 = performance.now();
  // Two calls in flight, as a node receiving steadily has: the next batch's checks overlap this one's
  // store writes (the ledger still decides and commits the calls one after the other).
  let previous: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < txs.length; i += batch) {
    const current = ledger.receive(txs.slice(i, i + batch), now);
    await previous;
    previous = current;
  }
  await previous;
  const ms = performance.now() - t0;
  const accepted = (await store.statusCounts()).accepted ?? 0;
  store.close();
  return { ms, accepted, ...spent };
}

const api = {
  async run(dagUrl: string, batch: number): Promise<ReplayFigures> {
    const dag = (await (await fetch(dagUrl)).json()) as { genesisId: string; txs: string[] };
    const encoder = new TextEncoder();
    const txs = dag.txs.map((text) => encoder.encode(text));
    for (const name of ['bench-raw', ledgerDbName('bench-replay'), ledgerDbName('bench-replay-nv')]) {
      await request(indexedDB.deleteDatabase(name));
    }
    const before = await usage();
    const main = await replay('bench-replay', dag.genesisId, txs, batch, true);
    const storedBytes = (await usage()) - before;
    const noVerify = await replay('bench-replay-nv', dag.genesisId, txs, batch, false);

    // Raw limit 1: WebCrypto verifies of the same signatures, inputs prepared first, as many in flight
    // at once as the ledger has (one batch).
    const lax = (await webCryptoEd25519())!;
    const inputs = txs.map((bytes) => {
      const parsed = parseTx(bytes);
      if (!parsed.ok) throw new Error('generated tx does not parse');
      const { tx } = parsed;
      return { sig: hexToBytes(tx.signature), msg: signingMessage(tx), key: hexToBytes(tx.key) };
    });
    let t0 = performance.now();
    for (let i = 0; i < inputs.length; i += batch) {
      const answers = await Promise.all(inputs.slice(i, i + batch).map((x) => lax(x.sig, x.msg, x.key)));
      if (answers.includes(false)) throw new Error('a generated signature does not verify');
    }
    const rawVerifyMs = performance.now() - t0;

    // Raw limit 2: the same records (id and bytes) written in batches, one transaction each, no index.
    const open = indexedDB.open('bench-raw', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('txs', { keyPath: 'id' });
    const db = await request(open);
    const rows = txs.map((bytes) => ({ id: txIdOf(bytes), bytes }));
    t0 = performance.now();
    for (let i = 0; i < rows.length; i += batch) {
      const tx = db.transaction('txs', 'readwrite');
      for (const row of rows.slice(i, i + batch)) tx.objectStore('txs').put(row);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    }
    const rawWriteMs = performance.now() - t0;
    db.close();
    return {
      txs: txs.length,
      accepted: main.accepted,
      replayMs: main.ms,
      commitMs: main.commitMs,
      readMs: main.readMs,
      replayNoVerifyMs: noVerify.ms,
      rawVerifyMs,
      rawWriteMs,
      storedBytes,
    };
  },
};

export type LedgerReplayApi = typeof api;
expose(api);
