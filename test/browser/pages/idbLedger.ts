// The idbLedger test page: the ledger's real IndexedDB store (src/storage/idbLedgerStore.ts) next to the
// in-memory twin on the same history (test/support/ledgerScenario.ts). It writes a database as schema
// version 1 and version 2 wrote it (and version 3, the version 2 one taken there by the version 3 step
// alone), opens it with the current code, and compares every answer with the memory store; when payments
// settled (version 4) is kept across a reopen.
// Exposes `window.idbLedgerTest`; answers are plain JSON (bigints and bytes written out).
import { bytesToHex } from '../../../src/core/hex.ts';
import { Ledger } from '../../../src/core/ledger.ts';
import { txIdOf } from '../../../src/core/txId.ts';
import type { TxRecord } from '../../../src/core/txRecord.ts';
import { IdbLedgerStore, ledgerDbName } from '../../../src/storage/idbLedgerStore.ts';
import { MemoryLedgerStore } from '../../../src/storage/memoryLedgerStore.ts';
import { openDB } from 'idb';
import type { LedgerDb } from '../../../src/storage/ledgerDbSchema.ts';
import { upgradeLedgerDb } from '../../../src/storage/idbLedgerUpgrade.ts';
import { IdbLedgerStoreV2 } from './idbLedgerStoreV2.ts';
import { ledgerScenario } from '../../support/ledgerScenario.ts';

/** Everything a store answers about a ledger, as JSON text. */
export interface LedgerAnswers {
  readonly records: string;
  readonly balances: string;
  readonly counts: string;
  readonly acceptedIds: string[];
  readonly acceptedTimes: number[];
  readonly queries: string;
  readonly meta: string;
}

export interface UpgradeAnswers {
  version: number;
  indexes: string[];
  stores: string[];
  memory1: LedgerAnswers;
  upgraded: LedgerAnswers;
  memory2: LedgerAnswers;
  continued: LedgerAnswers;
  reopened: LedgerAnswers;
  /** When a payment was noted settled after the upgrade, and an unknown id's, read after reopening. */
  settled: (number | null)[];
}

export interface IdbLedgerPageApi {
  /** Writes phase 1 of the scenario as version 1 did; opens it now; answers before and after phase 2. */
  upgrade(): Promise<UpgradeAnswers>;
  /**
   * The same from version 2, written by the version 2 store itself (test/browser/pages/idbLedgerStoreV2.ts)
   * in one batch per call, with more than LOG_ROWS_BEFORE_COMPACTING of them.
   */
  upgradeFrom2(): Promise<UpgradeAnswers>;
  /** The same from version 3: the version 2 database taken to version 3 by the upgrade's steps up to 3. */
  upgradeFrom3(): Promise<UpgradeAnswers>;
  /** The scenario on a fresh database and on the memory store, call for call. */
  fresh(): Promise<{
    memory: LedgerAnswers;
    idb: LedgerAnswers;
    reopened: LedgerAnswers;
    compacted: LedgerAnswers;
    logRows: number;
  }>;
  /** Two connections to one database: the second to commit after the first wrote is refused. */
  twoWriters(): Promise<{ first: string; second: string }>;
  /**
   * Another connection commits; then this one has two calls in flight, the second decided on the
   * first's batch while it was being written: both are refused, the database keeps only the other's
   * commit, and this connection answers as stored again.
   */
  pipelinedAfterOtherTab(): Promise<{
    first: string;
    second: string;
    third: string;
    stored: LedgerAnswers;
    memory: LedgerAnswers;
    here: LedgerAnswers;
  }>;
}

type AnyStore = MemoryLedgerStore | IdbLedgerStore;

/** JSON with object keys sorted (key order is not part of a record), bigints and bytes written out. */
function json(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `bytes:${bytesToHex(v)}`;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

async function answers(store: AnyStore, ids: string[]): Promise<LedgerAnswers> {
  const records = (await Promise.all(ids.map((id) => store.getTx(id)))).filter(
    (r): r is TxRecord => r !== undefined,
  );
  const queries: unknown[] = [];
  for (const record of records) {
    queries.push(
      (await store.childrenOf(record.id)).map((r) => r.id),
      (await store.orphansOf(record.id)).map((r) => r.id),
    );
    if (record.to) queries.push((await store.sentTo(record.to)).map((r) => r.id));
    if (record.tx) queries.push((await store.sentBy(record.tx.key)).map((r) => r.id));
  }
  queries.push((await store.dueFutures(Number.MAX_SAFE_INTEGER)).map((r) => r.id));
  return {
    records: json(records),
    balances: json([...(await store.allBalances())].sort()),
    counts: json(await store.statusCounts()),
    acceptedIds: (await store.acceptedInventory()).ids,
    acceptedTimes: (await store.acceptedInventory()).times,
    queries: json(queries),
    meta: json(await store.getMeta()),
  };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The database exactly as schema version 1 (src/storage/idbLedgerStore.ts before version 2) wrote it. */
async function writeVersion1(name: string, store: MemoryLedgerStore): Promise<void> {
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    const txs = db.createObjectStore('txs', { keyPath: 'id' });
    txs.createIndex('waitingOn', 'waitingOn');
    txs.createIndex('prev', 'prev');
    txs.createIndex('dueAt', 'dueAt');
    txs.createIndex('to', 'to');
    txs.createIndex('key', 'tx.key');
    txs.createIndex('arrival', 'arrival', { unique: true });
    txs.createIndex('status', 'status');
    db.createObjectStore('balances', { keyPath: 'address' });
    db.createObjectStore('meta');
  };
  const db = await request(open);
  const tx = db.transaction(['txs', 'balances', 'meta'], 'readwrite');
  for (const record of store.all()) tx.objectStore('txs').put(record);
  for (const [address, balance] of store.allBalances()) tx.objectStore('balances').put({ address, balance });
  tx.objectStore('meta').put(await store.getMeta(), 'ledger');
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

async function shape(name: string): Promise<{ version: number; indexes: string[]; stores: string[] }> {
  const db = await request(indexedDB.open(name));
  const result = {
    version: db.version,
    stores: [...db.objectStoreNames].sort(),
    indexes: [...db.transaction('txs').objectStore('txs').indexNames].sort(),
  };
  db.close();
  return result;
}

async function run(ledger: Ledger, calls: Uint8Array[][], now: number): Promise<void> {
  for (const call of calls) await ledger.receive(call, now);
}

const s = ledgerScenario();
/** The scenario's held future, dropped and received again by `churn`. */
const future = s.phase1[2]![6]!;
/** Drop-and-receive cycles: two log rows each, so that 40 of them pass LOG_ROWS_BEFORE_COMPACTING. */
const CHURN = 40;

/** Drops the held future and receives it again, `times` times: a deleted record that comes back. */
async function churn(ledger: Ledger, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await ledger.dropHeld([txIdOf(future)]);
    await ledger.receive([future], s.now);
  }
}
/** Phase 1 (and churn) written by the version 2 store itself into database `name`. */
async function writeVersion2(name: string): Promise<void> {
  await request(indexedDB.deleteDatabase(ledgerDbName(name)));
  const v2 = await IdbLedgerStoreV2.open(name);
  const ledger = new Ledger(v2, s.net.params);
  await run(ledger, s.phase1, s.now);
  await churn(ledger, CHURN);
  v2.close();
}

const allIds = async (memory: MemoryLedgerStore) => memory.all().map((r) => r.id);

/**
 * Phase 1 of the scenario written by `writeOld` into database `name`; then opened with the current code,
 * phase 2 decided on it, reopened: every answer compared with the memory store's.
 */
async function upgradeFrom(
  name: string,
  writeOld: (memory: MemoryLedgerStore) => Promise<void>,
  churnTimes = 0,
): Promise<UpgradeAnswers> {
  const memory = new MemoryLedgerStore();
  const memoryLedger = new Ledger(memory, s.net.params);
  await run(memoryLedger, s.phase1, s.now);
  await churn(memoryLedger, churnTimes);
  await writeOld(memory);
  const memory1 = await answers(memory, await allIds(memory));
  const store = await IdbLedgerStore.open(name);
  const upgraded = await answers(store, await allIds(memory));
  const settledId = (await allIds(memory))[0]!;
  await store.noteSettled([[settledId, 12_345]]);
  const ledger = new Ledger(store, s.net.params);
  await run(ledger, s.phase2, s.now);
  await ledger.advanceClock(s.later);
  await run(memoryLedger, s.phase2, s.now);
  await memoryLedger.advanceClock(s.later);
  const ids = await allIds(memory);
  const continued = await answers(store, ids);
  store.close();
  const again = await IdbLedgerStore.open(name);
  const reopened = await answers(again, ids);
  const settled = (await again.settledTimes([settledId, 'f'.repeat(40)])).map((at) => at ?? null);
  await again.compacting;
  again.close();
  return {
    settled,
    ...(await shape(ledgerDbName(name))),
    memory1,
    upgraded,
    memory2: await answers(memory, ids),
    continued,
    reopened,
  };
}

const api: IdbLedgerPageApi = {
  upgrade() {
    const name = `upgrade-${s.net.genesis.id}`;
    return upgradeFrom(name, (memory) => writeVersion1(ledgerDbName(name), memory));
  },
  upgradeFrom2() {
    const name = `upgrade2-${s.net.genesis.id}`;
    return upgradeFrom(name, () => writeVersion2(name), CHURN);
  },
  upgradeFrom3() {
    const name = `upgrade3-${s.net.genesis.id}`;
    return upgradeFrom(
      name,
      async () => {
        await writeVersion2(name);
        const v3 = await openDB<LedgerDb>(ledgerDbName(name), 3, {
          upgrade: (db, oldVersion, _newVersion, transaction) =>
            upgradeLedgerDb(db, oldVersion, transaction, 3),
        });
        v3.close();
      },
      CHURN,
    );
  },
  async fresh() {
    const name = `fresh-${s.net.genesis.id}`;
    await request(indexedDB.deleteDatabase(ledgerDbName(name)));
    const memory = new MemoryLedgerStore();
    const store = await IdbLedgerStore.open(name);
    const ledgers = [new Ledger(memory, s.net.params), new Ledger(store, s.net.params)];
    for (const ledger of ledgers) {
      await run(ledger, s.phase1, s.now);
      await churn(ledger, CHURN);
      await run(ledger, s.phase2, s.now);
      await ledger.advanceClock(s.later);
    }
    const ids = await allIds(memory);
    const idb = await answers(store, ids);
    store.close();
    // Past LOG_ROWS_BEFORE_COMPACTING rows: opening merges them (a deleted record came back: it stays).
    const again = await IdbLedgerStore.open(name);
    const reopened = await answers(again, ids);
    await again.compacting;
    again.close();
    const third = await IdbLedgerStore.open(name);
    const compacted = await answers(third, ids);
    const logRows = await third.logRowCount();
    third.close();
    return { memory: await answers(memory, ids), idb, reopened, compacted, logRows };
  },
  async twoWriters() {
    const name = `writers-${s.net.genesis.id}`;
    await request(indexedDB.deleteDatabase(ledgerDbName(name)));
    const [one, two] = [await IdbLedgerStore.open(name), await IdbLedgerStore.open(name)];
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (err: Error) => err.name,
      );
    const first = await outcome(new Ledger(one, s.net.params).receive(s.phase1[0]!, s.now));
    const second = await outcome(new Ledger(two, s.net.params).receive(s.phase1[1]!, s.now));
    one.close();
    two.close();
    return { first, second };
  },
  async pipelinedAfterOtherTab() {
    const name = `pipelined-${s.net.genesis.id}`;
    await request(indexedDB.deleteDatabase(ledgerDbName(name)));
    const [one, two] = [await IdbLedgerStore.open(name), await IdbLedgerStore.open(name)];
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (err: Error) => err.name,
      );
    // The other tab takes the genesis and pays alice: the database now differs from one's memory.
    const other = new Ledger(two, s.net.params);
    await other.receive(s.phase1[0]!, s.now);
    await other.receive([s.phase1[1]![0]!], s.now);
    const ledger = new Ledger(one, s.net.params);
    const calls = [s.phase1[0]!, s.phase1[1]!, s.phase1[2]!].map((call) => ledger.receive(call, s.now));
    const [first, second, third] = await Promise.all(calls.map(outcome));
    const memory = new MemoryLedgerStore();
    const memoryLedger = new Ledger(memory, s.net.params);
    await memoryLedger.receive(s.phase1[0]!, s.now);
    await memoryLedger.receive([s.phase1[1]![0]!], s.now);
    const ids = s.phase1.flat().map((bytes) => txIdOf(bytes));
    const here = await answers(one, ids);
    one.close();
    two.close();
    const reopened = await IdbLedgerStore.open(name);
    const stored = await answers(reopened, ids);
    reopened.close();
    return {
      first: first!,
      second: second!,
      third: third!,
      stored,
      memory: await answers(memory, ids),
      here,
    };
  },
};

(window as unknown as { idbLedgerTest: IdbLedgerPageApi }).idbLedgerTest = api;
