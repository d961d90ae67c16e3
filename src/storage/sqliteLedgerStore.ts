// The ledger in SQLite (better-sqlite3, WAL journal) for the Node node: the same LedgerStore as IndexedDB
// and memory, one file per network. Each commit() is one SQLite transaction, so a process killed at any
// moment (kill -9 included) reopens with whole batches only: every stored record's ancestors stored and
// balances equal to a recomputation from the records. A record is its exact bytes beside its JSON
// (bigints tagged; the parsed tx left out, since it is the bytes' own JSON), with the fields the ledger
// looks up copied into indexed columns. Rows are keyed by arrival, so new records append densely.
// An accepted record's `spent` lives apart, in a small table keyed by the same arrival: it is the one
// field a stored record's later batches change (each accepted child adds its cost to its parent), and
// parents are anywhere in the file, so keeping it in the record's row rewrote one random ~1 KB row (and
// its page, in the WAL) per accepted tx: most of an import's writing (issue 18).
import type { Inventory } from '../net/gossipLedger.ts';
import Database from 'better-sqlite3';
import type { Tx } from '../core/tx.ts';
import type { LedgerChanges, LedgerMeta, TxRecord } from '../core/txRecord.ts';
import { isHeld } from '../core/verdict.ts';
import type { QueryableLedgerStore, StatusAndBytes } from '../ledger/queryableStore.ts';

/** 1: `spent` inside the record's JSON. 2: in the `spent` table (upgraded on open, UPGRADE_TO_2). */
export const SQLITE_SCHEMA_VERSION = 2;

/** Ids read by one statement in getTxs. */
const GETMANY_CHUNK = 1000;

/** WAL pages (4 KiB) after which a commit copies the WAL back into the database file. */
export const WAL_AUTOCHECKPOINT_PAGES = 16_384;

/** SQLite's page cache, KiB (the default is 2,000): what a 1M-tx ledger's indexes need held. */
export const PAGE_CACHE_KIB = 65_536;

/** Opening a file that is not this network's ledger, or one written by a newer schema. */
export class LedgerFileError extends Error {
  override readonly name = 'LedgerFileError';
}

/** A record's \`spent\` (decimal), by its arrival; a row exactly where the record has the field. */
const SPENT_TABLE = 'CREATE TABLE spent (arrival INTEGER PRIMARY KEY, spent TEXT NOT NULL);';

/** Schema 1 to 2, in the transaction that sets user_version: `spent` moves out of the JSON. */
const UPGRADE_TO_2 = `
${SPENT_TABLE}
INSERT INTO spent (arrival, spent)
  SELECT arrival, json_extract(record, '$.spent') FROM txs WHERE json_type(record, '$.spent') IS NOT NULL;
UPDATE txs SET record = json_remove(record, '$.spent') WHERE json_type(record, '$.spent') IS NOT NULL;
`;

const SCHEMA = `
CREATE TABLE txs (
  arrival INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  prev TEXT,
  to_address TEXT,
  signer TEXT,
  waiting_on TEXT,
  due_at INTEGER,
  bytes BLOB,
  record TEXT NOT NULL
);
CREATE INDEX txs_prev ON txs(prev) WHERE prev IS NOT NULL;
CREATE INDEX txs_waiting_on ON txs(waiting_on) WHERE waiting_on IS NOT NULL;
CREATE INDEX txs_due_at ON txs(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX txs_to ON txs(to_address);
CREATE INDEX txs_signer ON txs(signer);
CREATE INDEX txs_status_arrival ON txs(status, arrival);
CREATE TABLE balances (address TEXT PRIMARY KEY, balance TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
${SPENT_TABLE}
`;

const TEXT = new TextDecoder();
/** The TxRecord fields the JSON holds as bigints: stored as decimal strings. */
const BIGINT_FIELDS = ['mint', 'fee', 'value', 'cost'] as const;

/**
 * The record without its bytes and `spent`, as JSON, its bigints as decimal strings. A parsed tx is
 * stored as `true`: it is JSON.parse of the bytes (they passed parseTx, PROTOCOL §2).
 */
function encodeRecord(record: TxRecord): string {
  const { bytes: _bytes, tx, spent: _spent, ...rest } = record;
  const plain: Record<string, unknown> = { ...rest, tx: tx !== null };
  for (const field of BIGINT_FIELDS) if (rest[field] !== undefined) plain[field] = rest[field].toString();
  return JSON.stringify(plain);
}

interface Row {
  readonly bytes: Uint8Array | null;
  readonly record: string;
  /** From the spent table (RECORD_OF): null where the record has no `spent`. */
  readonly spent: string | null;
}

/** The columns decodeRow reads, and the join that brings `spent` to them. */
const ROW_COLUMNS = 'txs.bytes, txs.record, spent.spent';
const RECORD_OF = 'txs LEFT JOIN spent ON spent.arrival = txs.arrival';

/** better-sqlite3 returns Buffers; the ledger compares plain bytes, so it gets a Uint8Array view. */
function viewOf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

function decodeRow(row: Row): TxRecord {
  const plain = JSON.parse(row.record) as Record<string, unknown>;
  for (const field of BIGINT_FIELDS)
    if (plain[field] !== undefined) plain[field] = BigInt(plain[field] as string);
  if (row.spent !== null) plain.spent = BigInt(row.spent);
  const bytes = row.bytes === null ? null : viewOf(row.bytes);
  plain.bytes = bytes;
  plain.tx = plain.tx === true && bytes !== null ? (JSON.parse(TEXT.decode(bytes)) as Tx) : null;
  return plain as unknown as TxRecord;
}

const STATUSES = ['accepted', 'conflict', 'invalid', 'orphan', 'future'] as const;

export class SqliteLedgerStore implements QueryableLedgerStore {
  private readonly statements;
  private readonly writeBatch: (changes: LedgerChanges) => void;
  /**
   * How many rows have a waiting_on, and how many a due_at (held orphans and futures), kept exact after
   * every commit, so that the ledger's look for a decided record's waiting orphans (one per decided
   * record) and for due futures (one per batch) costs no statement while nothing is held, as in an
   * import or a catch-up. Counted again, with the partial indexes, after a batch touching held records.
   */
  private held = { orphans: 0, futures: 0 };

  private constructor(private readonly db: Database.Database) {
    const rows = (sql: string) => db.prepare<unknown[], Row>(sql);
    this.statements = {
      get: rows(`SELECT ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE id = ?`),
      getMany: db.prepare<[string], Row & { id: string }>(
        `SELECT id, ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      statusAndBytes: db.prepare<[string], { id: string; status: TxRecord['status']; bytes: Buffer | null }>(
        'SELECT id, status, bytes FROM txs WHERE id IN (SELECT value FROM json_each(?))',
      ),
      orphansOf: rows(`SELECT ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE waiting_on = ? ORDER BY txs.arrival`),
      childrenOf: rows(`SELECT ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE prev = ? ORDER BY txs.arrival`),
      dueFutures: rows(`SELECT ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE due_at <= ? ORDER BY txs.arrival`),
      sentTo: rows(`SELECT ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE to_address = ? ORDER BY txs.arrival`),
      sentBy: rows(`SELECT ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE signer = ? ORDER BY txs.arrival`),
      byStatus: rows(`SELECT ${ROW_COLUMNS} FROM ${RECORD_OF} WHERE status = ? ORDER BY txs.arrival`),
      acceptedIds: db
        .prepare<[], string>("SELECT id FROM txs WHERE status = 'accepted' ORDER BY arrival")
        .pluck(),
      acceptedBytes: db.prepare<[], { id: string; bytes: Buffer }>(
        "SELECT id, bytes FROM txs WHERE status = 'accepted' ORDER BY arrival",
      ),
      deleteTx: db.prepare('DELETE FROM txs WHERE id = ?'),
      deleteSpentOf: db.prepare('DELETE FROM spent WHERE arrival = (SELECT arrival FROM txs WHERE id = ?)'),
      countStatus: db.prepare<[string], number>('SELECT count(*) FROM txs WHERE status = ?').pluck(),
      count: db.prepare<[], number>('SELECT count(*) FROM txs').pluck(),
      countOrphans: db.prepare<[], number>('SELECT count(*) FROM txs WHERE waiting_on IS NOT NULL').pluck(),
      countFutures: db.prepare<[], number>('SELECT count(*) FROM txs WHERE due_at IS NOT NULL').pluck(),
      balance: db.prepare<[string], string>('SELECT balance FROM balances WHERE address = ?').pluck(),
      balances: db.prepare<[], { address: string; balance: string }>('SELECT address, balance FROM balances'),
      meta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
      // A stored record changes only in its verdict (status, held state, the record's JSON): its id,
      // arrival, prev, to, signer and bytes stay (Ledger keeps identity, bytes and arrival). Updating just
      // those columns leaves the id, prev, to and signer indexes alone; INSERT OR REPLACE deleted and
      // re-inserted the row in all seven, and a tx's parent is rewritten with it (its `spent`).
      putTx: db.prepare(
        `INSERT INTO txs (id, arrival, status, prev, to_address, signer, waiting_on, due_at, bytes, record)
         VALUES (@id, @arrival, @status, @prev, @to, @signer, @waitingOn, @dueAt, @bytes, @record)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, waiting_on = excluded.waiting_on,
           due_at = excluded.due_at, record = excluded.record`,
      ),
      // A record the store did not hold (LedgerChanges.previousStatus says so): a plain insert, which
      // fails the whole batch rather than overwrite a row if that were ever wrong.
      insertTx: db.prepare(
        `INSERT INTO txs (id, arrival, status, prev, to_address, signer, waiting_on, due_at, bytes, record)
         VALUES (@id, @arrival, @status, @prev, @to, @signer, @waitingOn, @dueAt, @bytes, @record)`,
      ),
      // A stored record whose status stays (a parent's new spent, the common rewrite): its JSON, found by
      // its arrival (the rowid), so no index is touched, and only if it differs: a new `spent` alone
      // leaves the row, and its page, as they were. isStored tells a row left alone from a missing one.
      updateRecord: db.prepare(
        'UPDATE txs SET record = @record WHERE arrival = @arrival AND id = @id AND record IS NOT @record',
      ),
      isStored: db
        .prepare<{ arrival: number; id: string }, number>(
          'SELECT 1 FROM txs WHERE arrival = @arrival AND id = @id',
        )
        .pluck(),
      putSpent: db.prepare(
        'INSERT INTO spent (arrival, spent) VALUES (?, ?) ON CONFLICT(arrival) DO UPDATE SET spent = excluded.spent',
      ),
      deleteSpent: db.prepare('DELETE FROM spent WHERE arrival = ?'),
      putBalance: db.prepare('INSERT OR REPLACE INTO balances (address, balance) VALUES (?, ?)'),
      putMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    };
    const s = this.statements;
    /** The spent row of a written record; `stored`: it may have had one (else there is none to delete). */
    const writeSpent = (record: TxRecord, stored: boolean): void => {
      if (record.spent !== undefined) s.putSpent.run(record.arrival, record.spent.toString());
      else if (stored) s.deleteSpent.run(record.arrival);
    };
    this.writeBatch = db.transaction((changes: LedgerChanges) => {
      const previous = changes.previousStatus;
      for (const record of changes.records) {
        const before = previous?.get(record.id);
        const key = { arrival: record.arrival, id: record.id };
        if (before !== undefined && before === record.status && !isHeld(record.status)) {
          if (
            s.updateRecord.run({ ...key, record: encodeRecord(record) }).changes !== 1 &&
            s.isStored.get(key) === undefined
          ) {
            throw new LedgerFileError(`record ${record.id} (arrival ${record.arrival}) is not stored`);
          }
          writeSpent(record, true);
          continue;
        }
        const inserted = previous !== undefined && before === undefined;
        (inserted ? s.insertTx : s.putTx).run({
          id: record.id,
          arrival: record.arrival,
          status: record.status,
          prev: record.prev,
          to: record.to,
          signer: record.tx?.key ?? null,
          waitingOn: record.waitingOn ?? null,
          dueAt: record.dueAt ?? null,
          bytes: record.bytes,
          record: encodeRecord(record),
        });
        writeSpent(record, !inserted);
      }
      for (const record of changes.removed ?? []) {
        s.deleteSpentOf.run(record.id);
        s.deleteTx.run(record.id);
      }
      for (const [address, balance] of changes.balances) s.putBalance.run(address, balance.toString());
      s.putMeta.run('nextArrival', String(changes.meta.nextArrival));
    });
    this.countHeld();
  }

  private countHeld(): void {
    this.held = {
      orphans: this.statements.countOrphans.get()!,
      futures: this.statements.countFutures.get()!,
    };
  }

  /** Whether a batch may change the held counts: it writes or deletes a held record, or one that was. */
  private static touchesHeld(changes: LedgerChanges): boolean {
    if (changes.previousStatus === undefined || (changes.removed?.length ?? 0) > 0) return true;
    for (const record of changes.records) {
      if (isHeld(record.status)) return true;
      const before = changes.previousStatus.get(record.id);
      if (before !== undefined && isHeld(before)) return true;
    }
    return false;
  }

  /**
   * Opens (or creates) the ledger file of the network `genesisId`. Refuses another network's file and a
   * newer schema with a LedgerFileError.
   */
  static open(path: string, genesisId: string): SqliteLedgerStore {
    const db = new Database(path);
    try {
      // WAL: readers never block the writer and a commit is one append; FULL syncs the WAL on every
      // commit, so an acknowledged batch survives power loss too, not only a killed process.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // A ledger batch of 1,000 txs writes ~4 MB of pages (each tx and its parent's new `spent`, seven
      // indexes): at the default of 1,000 pages the WAL was copied back into the file, with its fsyncs,
      // after nearly every commit. 16,384 pages (64 MiB) copies the many rewrites of one page once.
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      // The id and prev indexes take keys in random order (ids are hashes): past the default 2 MiB of
      // page cache, every batch of an import or catch-up read most of their pages back from the file.
      db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      db.pragma('foreign_keys = OFF');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SQLITE_SCHEMA_VERSION) {
        throw new LedgerFileError(
          `${path} has ledger schema ${version}; this node knows ${SQLITE_SCHEMA_VERSION}`,
        );
      }
      if (version === 0) {
        db.transaction(() => {
          db.exec(SCHEMA);
          db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('genesisId', genesisId);
          db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
        })();
      } else if (version === 1) {
        // All or nothing: a crash during the upgrade leaves schema 1 to be upgraded on the next open.
        db.transaction(() => {
          db.exec(UPGRADE_TO_2);
          db.pragma('user_version = 2');
        })();
      }
      const stored = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('genesisId');
      if (stored !== genesisId) {
        throw new LedgerFileError(`${path} is the ledger of network ${String(stored)}, not ${genesisId}`);
      }
      return new SqliteLedgerStore(db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Opens an existing ledger file of whatever network it holds (export, inspection). */
  static openExisting(path: string): SqliteLedgerStore {
    const db = new Database(path, { fileMustExist: true, readonly: true });
    let genesisId: unknown;
    try {
      genesisId = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('genesisId');
    } catch {
      genesisId = undefined;
    } finally {
      db.close();
    }
    if (typeof genesisId !== 'string') throw new LedgerFileError(`${path} is not a TorrentTX ledger`);
    return SqliteLedgerStore.open(path, genesisId);
  }

  /** Folds the WAL back into the file (and empties it), then closes. */
  close(): void {
    if (!this.db.readonly) this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  async getTx(id: string): Promise<TxRecord | undefined> {
    const row = this.statements.get.get(id);
    return row === undefined ? undefined : decodeRow(row);
  }

  /**
   * LedgerStore.getTxs: one statement for many ids (a ledger batch's prefetch, a peer's WANT through
   * gossipLedgerOf), GETMANY_CHUNK at a time, instead of a statement and a promise per id.
   */
  async getTxs(ids: readonly string[]): Promise<(TxRecord | undefined)[]> {
    const found = new Map<string, TxRecord>();
    for (let i = 0; i < ids.length; i += GETMANY_CHUNK) {
      for (const row of this.statements.getMany.iterate(JSON.stringify(ids.slice(i, i + GETMANY_CHUNK)))) {
        found.set(row.id, decodeRow(row));
      }
    }
    return ids.map((id) => found.get(id));
  }

  /** QueryableLedgerStore.statusAndBytes: the columns alone, GETMANY_CHUNK ids a statement. */
  async statusAndBytes(ids: readonly string[]): Promise<(StatusAndBytes | undefined)[]> {
    const found = new Map<string, StatusAndBytes>();
    for (let i = 0; i < ids.length; i += GETMANY_CHUNK) {
      const chunk = JSON.stringify(ids.slice(i, i + GETMANY_CHUNK));
      for (const { id, status, bytes } of this.statements.statusAndBytes.iterate(chunk)) {
        found.set(id, { status, bytes: bytes === null ? null : viewOf(bytes) });
      }
    }
    return ids.map((id) => found.get(id));
  }

  async orphansOf(parentId: string): Promise<TxRecord[]> {
    if (this.held.orphans === 0) return [];
    return this.statements.orphansOf.all(parentId).map(decodeRow);
  }

  async childrenOf(parentId: string): Promise<TxRecord[]> {
    return this.statements.childrenOf.all(parentId).map(decodeRow);
  }

  async dueFutures(now: number): Promise<TxRecord[]> {
    if (this.held.futures === 0) return [];
    return this.statements.dueFutures.all(now).map(decodeRow);
  }

  async getBalance(address: string): Promise<bigint> {
    const balance = this.statements.balance.get(address);
    return balance === undefined ? 0n : BigInt(balance);
  }

  async getMeta(): Promise<LedgerMeta> {
    const next = this.statements.meta.get('nextArrival');
    return { nextArrival: next === undefined ? 0 : Number(next) };
  }

  async commit(changes: LedgerChanges): Promise<void> {
    this.writeBatch(changes);
    if (SqliteLedgerStore.touchesHeld(changes)) this.countHeld();
  }

  /**
   * Runs a bulk load (`torrenttx node --import`) without an fsync per commit (synchronous = NORMAL: a
   * killed process still reopens with whole batches; a power cut may lose the last ones), then makes all
   * of it durable at once (FULL again, and a checkpoint, which syncs the WAL and the file) before
   * resolving. Nothing the load wrote is reported done before that; a load cut short is run again.
   */
  async bulkLoad<T>(load: () => Promise<T>): Promise<T> {
    this.db.pragma('synchronous = NORMAL');
    try {
      return await load();
    } finally {
      this.db.pragma('synchronous = FULL');
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  async sentTo(address: string): Promise<TxRecord[]> {
    return this.statements.sentTo.all(address).map(decodeRow);
  }

  async sentBy(publicKey: string): Promise<TxRecord[]> {
    return this.statements.sentBy.all(publicKey).map(decodeRow);
  }

  async acceptedIds(): Promise<string[]> {
    return this.statements.acceptedIds.all();
  }

  /** Id and tx time of every accepted record, oldest first (the time read from the stored tx.json). */
  async acceptedInventory(): Promise<Inventory> {
    const inventory: Inventory = { ids: [], times: [] };
    for (const { id, bytes } of this.statements.acceptedBytes.iterate()) {
      inventory.ids.push(id);
      inventory.times.push((JSON.parse(TEXT.decode(bytes)) as Tx).time);
    }
    return inventory;
  }

  /** Records of one status, oldest first. */
  async withStatus(status: TxRecord['status']): Promise<TxRecord[]> {
    return this.statements.byStatus.all(status).map(decodeRow);
  }

  async statusCounts(): Promise<Record<string, number>> {
    return Object.fromEntries(STATUSES.map((status) => [status, this.statements.countStatus.get(status)!]));
  }

  async count(): Promise<number> {
    return this.statements.count.get()!;
  }

  async allBalances(): Promise<Map<string, bigint>> {
    const balances = new Map<string, bigint>();
    for (const { address, balance } of this.statements.balances.all()) {
      if (balance !== '0') balances.set(address, BigInt(balance));
    }
    return balances;
  }
}
