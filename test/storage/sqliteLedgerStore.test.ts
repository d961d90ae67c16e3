// The SQLite store against its in-memory twin: the same ledger decisions on the same generated DAG give
// the same records, indexes, balances and counts, also after reopening the file; the accepted txs,
// exported parents first, replay to the same balances; another network's file is refused; a file of
// schema 1 (spent inside the record's JSON) is upgraded on open to the same answers.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import type { LedgerStore } from '../../src/core/txRecord.ts';
import { acceptedParentsFirst } from '../../src/ledger/acceptedParentsFirst.ts';
import type { QueryableLedgerStore } from '../../src/ledger/queryableStore.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { SQLITE_SCHEMA_VERSION, SqliteLedgerStore } from '../../src/storage/sqliteLedgerStore.ts';
import { ledgerProblems } from '../support/ledgerConsistency.ts';
import { DAG_NOW, makeTxDag, type TxDag } from '../support/txDag.ts';

let dir = '';
let dag: TxDag;
const memory = new MemoryLedgerStore();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'torrenttx-sqlite-'));
  dag = makeTxDag(400, 7);
  await feed(memory);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Receives the DAG in batches of 7 (several commits, cascades across batches), then the future one. */
async function feed(store: LedgerStore): Promise<void> {
  const ledger = new Ledger(store, dag.network.params);
  for (let i = 0; i < dag.delivery.length; i += 7)
    await ledger.receive(dag.delivery.slice(i, i + 7), DAG_NOW);
}

/** Everything the stores answer, for every id, parent and person the DAG has. */
async function answers(store: QueryableLedgerStore): Promise<unknown> {
  const ids = dag.made.map((t) => t.id);
  const people = [...dag.people, dag.network.owner];
  return {
    records: await Promise.all(ids.map((id) => store.getTx(id))),
    orphans: await Promise.all(ids.map((id) => store.orphansOf(id))),
    children: await Promise.all(ids.map((id) => store.childrenOf(id))),
    dueNow: await store.dueFutures(DAG_NOW),
    dueLater: await store.dueFutures(DAG_NOW + 7200 * 1000),
    sentTo: await Promise.all(people.map((p) => store.sentTo(p.address))),
    sentBy: await Promise.all(people.map((p) => store.sentBy(p.publicKey))),
    balances: await Promise.all(people.map((p) => store.getBalance(p.address))),
    allBalances: await store.allBalances(),
    accepted: await store.acceptedInventory(),
    // What serving a peer reads: status and bytes, from the columns where the store can.
    served: store.statusAndBytes
      ? await store.statusAndBytes([...ids, 'ab'.repeat(20)])
      : [...(await Promise.all(ids.map((id) => store.getTx(id)))), undefined].map((r) =>
          r === undefined ? undefined : { status: r.status, bytes: r.bytes },
        ),
    counts: await store.statusCounts(),
    meta: await store.getMeta(),
  };
}

describe('SqliteLedgerStore', () => {
  it('the DAG exercises every status', async () => {
    const counts = await memory.statusCounts();
    for (const status of ['accepted', 'conflict', 'invalid', 'future'])
      expect(counts[status]).toBeGreaterThan(0);
    expect(counts.accepted).toBeGreaterThan(200);
  });

  it('answers as MemoryLedgerStore does on the same DAG, and again after reopening', async () => {
    const path = join(dir, 'same.sqlite');
    const store = SqliteLedgerStore.open(path, dag.network.genesis.id);
    await feed(store);
    const expected = await answers(memory);
    expect(await answers(store)).toEqual(expected);
    expect(await ledgerProblems(store)).toEqual([]);
    store.close();
    const reopened = SqliteLedgerStore.open(path, dag.network.genesis.id);
    expect(await answers(reopened)).toEqual(expected);
    // A held future decided later by the clock, on the reopened file, as on memory.
    const later = DAG_NOW + 7200 * 1000;
    const fromMemory = await new Ledger(memory, dag.network.params).advanceClock(later);
    const fromSqlite = await new Ledger(reopened, dag.network.params).advanceClock(later);
    expect(fromSqlite).toEqual(fromMemory);
    expect(fromSqlite.length).toBe(1);
    expect(await answers(reopened)).toEqual(await answers(memory));
    reopened.close();
  });

  it('exports the accepted txs parents first; replaying them gives the same balances', async () => {
    const store = SqliteLedgerStore.open(join(dir, 'export.sqlite'), dag.network.genesis.id);
    await feed(store);
    const lines: Uint8Array[] = [];
    for await (const bytes of acceptedParentsFirst(store)) lines.push(bytes);
    expect(lines.length).toBe((await store.statusCounts()).accepted);
    const replayed = new MemoryLedgerStore();
    // One batch, in order, at a time when every tx is due: each must be accepted on arrival.
    const { outcomes } = await new Ledger(replayed, dag.network.params).receive(lines, DAG_NOW + 7200 * 1000);
    expect(outcomes.every((o) => o.kind === 'new' && o.record.status === 'accepted')).toBe(true);
    expect(replayed.allBalances()).toEqual(await store.allBalances());
    store.close();
  });

  it('upgrades a schema 1 file (spent in the JSON) to the same answers', async () => {
    const path = join(dir, 'schema1.sqlite');
    const store = SqliteLedgerStore.open(path, dag.network.genesis.id);
    await feed(store);
    const expected = await answers(store);
    const { accepted } = await store.statusCounts();
    store.close();
    // The file as schema 1 wrote it: each record's spent inside its JSON, no spent table.
    const db = new Database(path);
    db.exec(`
      UPDATE txs SET record = json_set(record, '$.spent', spent.spent) FROM spent WHERE spent.arrival = txs.arrival;
      DROP TABLE spent;
      PRAGMA user_version = 1;
    `);
    const spentInJson = db
      .prepare("SELECT count(*) FROM txs WHERE json_type(record, '$.spent') IS NOT NULL")
      .pluck()
      .get();
    expect(spentInJson).toBe(accepted);
    db.close();
    const upgraded = SqliteLedgerStore.open(path, dag.network.genesis.id);
    expect(await answers(upgraded)).toEqual(expected);
    expect(await ledgerProblems(upgraded)).toEqual([]);
    upgraded.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(
      check.prepare("SELECT count(*) FROM txs WHERE json_type(record, '$.spent') IS NOT NULL").pluck().get(),
    ).toBe(0);
    check.close();
  });

  it("refuses another network's file", () => {
    const path = join(dir, 'other.sqlite');
    SqliteLedgerStore.open(path, dag.network.genesis.id).close();
    expect(() => SqliteLedgerStore.open(path, 'ab'.repeat(20))).toThrow(
      expect.objectContaining({ name: 'LedgerFileError' }),
    );
  });
});
