// What every LedgerStore must do, as checks that run anywhere: in Node against the memory store
// (test/storage/ledgerStoreContract.test.ts) and in real Chromium against the IndexedDB store
// (test/browser/pages/idbLedgerStore.ts). The ledger's verdicts depend on these answers, so a store that
// drifts from them changes consensus: each check is one sentence of the contract. No vitest here (the
// page cannot load it): a failed check throws ContractError saying what it expected and what came.
import { Ledger } from '../../src/core/ledger.ts';
import type { LedgerChanges, TxRecord } from '../../src/core/txRecord.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import type { QueryableLedgerStore } from '../../src/ledger/queryableStore.ts';
import { powChain, replayBytes, v1 } from './vectors.ts';

export class ContractError extends Error {
  override readonly name = 'ContractError';
}

export interface ContractCheck {
  readonly name: string;
  /** Runs against a new, empty store. */
  run(store: QueryableLedgerStore): Promise<void>;
}

/**
 * JSON with bigints and bytes spelled out, so that 1n and 1, or bytes and arrays, never compare equal;
 * object keys sorted, since the order a store gives fields back in is not part of the contract.
 */
function shown(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `bytes:${[...v].join(',')}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}

function same(got: unknown, want: unknown, what: string): void {
  if (shown(got) !== shown(want))
    throw new ContractError(`${what}: expected ${shown(want)}, got ${shown(got)}`);
}

/** Balances as numbers by address, in address order (stores list them in any order). */
async function balancesOf(store: QueryableLedgerStore): Promise<Record<string, number>> {
  const entries = [...(await store.allBalances())].map(([a, b]): [string, number] => [a, Number(b)]);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sortedKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const ids = (records: readonly TxRecord[]) => records.map((r) => r.id);
const idOf = (n: number) => n.toString(16).padStart(40, '0');

/**
 * A record as the ledger would write it; only what a check looks at is set. As in every record the ledger
 * writes, `prev` and `to` are copies of the tx's, and the bytes are the tx.json it was parsed from (a
 * store may keep the bytes only and parse them again); `tx: null` makes a record that did not parse.
 */
function record(n: number, fields: Partial<TxRecord> = {}): TxRecord {
  const { tx: given, prev: givenPrev, to: givenTo, bytes: givenBytes, ...rest } = fields;
  const tx =
    given !== undefined
      ? given
      : {
          tokens: n + 1,
          to: givenTo ?? `ttx1address${n % 3}`,
          key: 'ab'.repeat(32),
          time: n,
          prev: givenPrev !== undefined ? givenPrev : n === 0 ? null : idOf(0),
          signature: '00'.repeat(64),
        };
  return {
    id: idOf(n),
    arrival: n,
    bytes: tx === null ? (givenBytes ?? null) : encodeUtf8(JSON.stringify(tx)),
    sha256: 'ab'.repeat(32),
    tx,
    prev: tx?.prev ?? null,
    to: tx?.to ?? null,
    status: 'accepted',
    ...rest,
  };
}

function changes(
  records: TxRecord[],
  balances: [string, bigint][] = [],
  nextArrival?: number,
): LedgerChanges {
  const last = Math.max(-1, ...records.map((r) => r.arrival));
  return { records, balances: new Map(balances), meta: { nextArrival: nextArrival ?? last + 1 } };
}

export const LEDGER_STORE_CONTRACT: readonly ContractCheck[] = [
  {
    name: 'an empty store knows nothing: no record, zero balances, arrival 0',
    async run(store) {
      same(await store.getTx(idOf(1)), undefined, 'getTx');
      same(await store.getMeta(), { nextArrival: 0 }, 'getMeta');
      same(await store.getBalance('ttx1nobody'), 0n, 'getBalance');
      same(await store.orphansOf(idOf(1)), [], 'orphansOf');
      same(await store.childrenOf(idOf(1)), [], 'childrenOf');
      same(await store.dueFutures(Number.MAX_SAFE_INTEGER), [], 'dueFutures');
      same(await store.acceptedInventory(), { ids: [], times: [] }, 'acceptedInventory');
      same(await store.allBalances(), new Map(), 'allBalances');
      same(
        await store.statusCounts(),
        { accepted: 0, conflict: 0, invalid: 0, orphan: 0, future: 0 },
        'statusCounts',
      );
    },
  },
  {
    name: 'a committed record reads back exactly: bytes, bigints, lists and absent fields',
    async run(store) {
      const full = record(1, {
        tx: {
          tokens: 5,
          to: 'ttx1x',
          key: 'cd'.repeat(32),
          time: 7,
          prev: idOf(0),
          signature: 'ef'.repeat(64),
        },
        work: 3,
        base: 2,
        mint: 1n,
        fee: 0n,
        value: 2n ** 80n,
        cost: 5n,
        spent: 0n,
        recentWork: [3, 2, 9],
        conflictWith: [idOf(7)],
        detail: 'words',
      });
      const bare = record(2, { tx: null, bytes: null, status: 'invalid', reason: 'malformed' });
      await store.commit(changes([full, bare]));
      same(await store.getTx(full.id), full, 'full record');
      const got = await store.getTx(bare.id);
      same(got, bare, 'record with null bytes and no figures');
      if (got && 'mint' in got) throw new ContractError('an absent field came back present');
    },
  },
  {
    name: 'orphansOf(parent): the orphans waiting on it, in arrival order; gone once decided',
    async run(store) {
      const parent = idOf(50);
      const late = record(9, { status: 'orphan', waitingOn: parent, prev: parent });
      const early = record(4, { status: 'orphan', waitingOn: parent, prev: parent });
      const other = record(5, { status: 'orphan', waitingOn: idOf(51), prev: idOf(51) });
      await store.commit(changes([late, early, other]));
      same(ids(await store.orphansOf(parent)), [early.id, late.id], 'orphansOf');
      const { waitingOn: _w, ...decided } = early;
      await store.commit(changes([{ ...decided, status: 'accepted' }]));
      same(ids(await store.orphansOf(parent)), [late.id], 'orphansOf after one was decided');
    },
  },
  {
    name: 'childrenOf(parent): every record whose prev is it, whatever its status, in arrival order',
    async run(store) {
      const a = record(3, { status: 'conflict' });
      const b = record(1, { status: 'accepted' });
      const c = record(2, { status: 'invalid', reason: 'overspend' });
      const elsewhere = record(4, { prev: idOf(99) });
      await store.commit(changes([a, b, c, elsewhere]));
      same(ids(await store.childrenOf(idOf(0))), [b.id, c.id, a.id], 'childrenOf');
      // A record written again (its status decided) is still one child, not two.
      await store.commit(changes([{ ...c, status: 'accepted', reason: undefined }]));
      same(ids(await store.childrenOf(idOf(0))), [b.id, c.id, a.id], 'childrenOf after a rewrite');
    },
  },
  {
    name: 'dueFutures(now): futures with dueAt ≤ now (inclusive), in arrival order; gone once decided',
    async run(store) {
      const due = record(2, { status: 'future', dueAt: 1000 });
      const edge = record(1, { status: 'future', dueAt: 2000 });
      const later = record(3, { status: 'future', dueAt: 2001 });
      await store.commit(changes([due, edge, later]));
      same(ids(await store.dueFutures(999)), [], 'dueFutures before any is due');
      same(ids(await store.dueFutures(2000)), [edge.id, due.id], 'dueFutures(2000)');
      const { dueAt: _d, ...decided } = due;
      await store.commit(changes([{ ...decided, status: 'accepted' }]));
      same(ids(await store.dueFutures(5000)), [edge.id, later.id], 'dueFutures after one was decided');
    },
  },
  {
    name: 'balances are absolute and overwritten; zero is a balance of 0 but not listed; past 2^64 exact',
    async run(store) {
      const big = 2n ** 70n + 1n;
      await store.commit(
        changes(
          [record(0)],
          [
            ['ttx1a', 10n],
            ['ttx1b', big],
          ],
        ),
      );
      await store.commit(
        changes(
          [record(1)],
          [
            ['ttx1a', 0n],
            ['ttx1c', 3n],
          ],
        ),
      );
      same(await store.getBalance('ttx1a'), 0n, 'balance set to zero');
      same(await store.getBalance('ttx1b'), big, 'big balance');
      same(
        [...(await store.allBalances())].sort(),
        [
          ['ttx1b', big],
          ['ttx1c', 3n],
        ],
        'allBalances',
      );
    },
  },
  {
    name: 'with previousStatus given, reads see a commit once commit() returns, before it settles',
    async run(store) {
      const parent = record(0);
      await store.commit({ ...changes([parent], [['ttx1address0', 5n]]), previousStatus: new Map() });
      const child = record(1, { spent: 0n });
      const writing = store.commit({
        ...changes([{ ...parent, spent: 3n }, child], [['ttx1address0', 2n]]),
        previousStatus: new Map([[parent.id, 'accepted']]),
      });
      // Asked before the commit settles: the ledger decides its next batch meanwhile (src/core/ledger.ts).
      const seen = await Promise.all([
        store.getTx(child.id),
        store.getTx(parent.id),
        store.getBalance('ttx1address0'),
        store.childrenOf(parent.id),
        store.getMeta(),
      ]);
      await writing;
      same(seen[0], child, 'the new record');
      same(seen[1]?.spent, 3n, "the parent's spent");
      same(seen[2], 2n, 'the balance');
      same(ids(seen[3]), [child.id], 'childrenOf');
      same(seen[4], { nextArrival: 2 }, 'getMeta');
    },
  },
  {
    name: 'meta is what the last commit wrote',
    async run(store) {
      await store.commit(changes([record(0)], [], 1));
      await store.commit(changes([], [], 41));
      same(await store.getMeta(), { nextArrival: 41 }, 'getMeta');
    },
  },
  {
    name: 'history queries: sentTo, sentBy; accepted ids and their tx times, oldest first; statusCounts',
    async run(store) {
      const key = 'cd'.repeat(32);
      const tx = { tokens: 1, to: 'ttx1x', key, time: 0, prev: idOf(0), signature: 'ef'.repeat(64) };
      await store.commit(
        changes([
          record(3, { tx: { ...tx, to: 'ttx1me', time: 3 } }),
          record(1, { to: 'ttx1me', status: 'orphan', waitingOn: idOf(8) }),
          record(2, { tx: { ...tx, to: 'ttx1you' }, status: 'invalid', reason: 'overspend' }),
          record(0, { prev: null }),
        ]),
      );
      same(ids(await store.sentTo('ttx1me')), [idOf(1), idOf(3)], 'sentTo');
      same(ids(await store.sentBy(key)), [idOf(2), idOf(3)], 'sentBy');
      same(await store.acceptedInventory(), { ids: [idOf(0), idOf(3)], times: [0, 3] }, 'acceptedInventory');
      same(
        await store.statusCounts(),
        { accepted: 2, conflict: 0, invalid: 1, orphan: 1, future: 0 },
        'statusCounts',
      );
    },
  },
  {
    name: 'the core ledger on this store replays v1.json to its final verdicts and balances',
    async run(store) {
      const ledger = new Ledger(store, { genesisId: v1.genesisId, powUnit: BigInt(v1.powUnit) });
      await ledger.receive(replayBytes(), Date.parse('2026-06-01T00:00:00Z'));
      for (const want of v1.replay.final) {
        const got = await store.getTx(want.id);
        same([got?.status, got?.reason], [want.status, want.reason], `${want.name} verdict`);
      }
      const balances = await balancesOf(store);
      same(balances, sortedKeys(v1.replay.balances), 'balances');
    },
  },
  {
    name: 'the core ledger on this store replays v1-pow-chain.json, children first, to its figures',
    async run(store) {
      const ledger = new Ledger(store, { genesisId: powChain.genesisId, powUnit: BigInt(powChain.powUnit) });
      for (const line of [...powChain.lines].reverse()) {
        await ledger.receive([encodeUtf8(line)], Date.parse('2026-06-01T00:00:00Z'));
      }
      for (const want of powChain.final) {
        const got = await store.getTx(want.id);
        const figures = (r: { mint?: unknown; fee?: unknown; value?: unknown } | undefined) =>
          want.mint === undefined
            ? {}
            : { mint: Number(r?.mint), fee: Number(r?.fee), value: Number(r?.value) };
        same(
          { status: got?.status, work: got?.work, ...figures(got) },
          { status: want.status, work: want.work, ...figures(want) },
          want.id,
        );
      }
      const balances = await balancesOf(store);
      same(balances, sortedKeys(powChain.balances), 'balances');
    },
  },
];
