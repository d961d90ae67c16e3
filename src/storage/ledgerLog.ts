// The log of the IndexedDB ledger (schema version 3) and the hot state folded from it in memory.
//
// One log row per committed batch (written in the batch's transaction) holds what changes often or is
// read whole on open: which records got a row and what each links to (parent, recipient, signing key),
// which became accepted (arrival, tx time), the `spent` of accepted records, the balances the batch
// set, and held records it deleted. Everything per record is in typed arrays: structured clone copies
// an array of numbers or bytes as one buffer, so a row of 256 records costs a few copies to write and
// read, not thousands of strings and bigints. Addresses and signing keys ("parties") are numbered in
// the order the log first names them; a row lists the parties it names first.
//
// The links replace an IndexedDB index: children of a parent, records sent to an address and records
// signed by a key are found by scanning these arrays in memory (about 50 bytes per record, 5 MB for
// 100,000), then reading the matching rows. Later rows win; rows can be merged (mergeLogRows) while
// keeping that fold's result.
import { concatBytes } from '../core/concatBytes.ts';
import { hexAt, hexToBytes } from '../core/hex.ts';
import type { Tx } from '../core/tx.ts';
import type { Inventory } from '../net/gossipLedger.ts';

/** Bytes of a transaction id (a SHA-1 infohash). */
export const ID_BYTES = 20;
/** The party number of a record that did not parse (no recipient, no key). */
export const NO_PARTY = 0xffffffff;
/**
 * Entries (records, accepted ids, spent values or balances) per log row at most. Chromium moves a value
 * over 64 KiB into a separate blob file, slower to write and read; 400 entries of each kind stay below.
 */
export const MAX_LOG_ROW_ENTRIES = 400;

export interface LogRow {
  /** Parties (addresses, key hex) named here first: they get the next numbers, in this order. */
  readonly parties: string[];
  /** Records that got their first row in this batch: their ids, 20 bytes each. */
  readonly ids: Uint8Array;
  /** Per record: 1 when its tx names a parent (then in `prevs`), else 0. */
  readonly hasPrev: Uint8Array;
  readonly prevs: Uint8Array;
  /** Per record: party of tx.to and of tx.key; NO_PARTY when the record did not parse. */
  readonly tos: Uint32Array;
  readonly keys: Uint32Array;
  /** Held records this batch deleted (dropped by policy). */
  readonly removed: Uint8Array;
  /** Records this batch accepted, with their arrival and tx time (reconciliation orders by time). */
  readonly acceptedIds: Uint8Array;
  readonly acceptedArrivals: Float64Array;
  readonly acceptedTimes: Float64Array;
  /** `spent` of accepted records, where not 0 (it only grows, from 0). */
  readonly spentIds: Uint8Array;
  readonly spent: BigInt64Array;
  /** Balances this batch set. */
  readonly balanceParties: Uint32Array;
  readonly balances: BigInt64Array;
  /** Values beyond 64 bits, which the arrays above cannot hold (the ledger's numbers are unbounded). */
  readonly bigSpent?: [id: string, spent: bigint][];
  readonly bigBalances?: [party: number, balance: bigint][];
}

const fitsInt64 = (value: bigint) => BigInt.asIntN(64, value) === value;

/** Builds the log rows of one batch, numbering new parties after those `log` knows. */
export class LogRowBuilder {
  private readonly newParties: string[] = [];
  private readonly numbers = new Map<string, number>();
  private readonly records: { id: string; tx: Tx | null }[] = [];
  private readonly removed: string[] = [];
  private readonly accepted: { id: string; arrival: number; time: number }[] = [];
  private readonly spent: [string, bigint][] = [];
  private readonly balances: [string, bigint][] = [];

  constructor(private readonly log: LedgerLog) {}

  private party(name: string): number {
    const known = this.log.partyNumber(name) ?? this.numbers.get(name);
    if (known !== undefined) return known;
    const number = this.log.partyCount + this.newParties.length;
    this.newParties.push(name);
    this.numbers.set(name, number);
    return number;
  }

  addRecord(id: string, tx: Tx | null): void {
    this.records.push({ id, tx });
  }

  removeRecord(id: string): void {
    this.removed.push(id);
  }

  addAccepted(id: string, arrival: number, time: number): void {
    this.accepted.push({ id, arrival, time });
  }

  setSpent(id: string, spent: bigint): void {
    if (spent !== 0n) this.spent.push([id, spent]);
  }

  setBalance(address: string, balance: bigint): void {
    this.balances.push([address, balance]);
  }

  /** The rows, at most MAX_LOG_ROW_ENTRIES entries of each kind each, to be applied in order. */
  build(): LogRow[] {
    const rows: LogRow[] = [];
    const most = Math.max(
      this.records.length,
      this.removed.length,
      this.accepted.length,
      this.spent.length,
      this.balances.length,
      1,
    );
    for (let start = 0; start < most; start += MAX_LOG_ROW_ENTRIES) {
      rows.push(this.row(start, start + MAX_LOG_ROW_ENTRIES));
    }
    return rows;
  }

  private row(from: number, to: number): LogRow {
    const partiesBefore = this.newParties.length;
    const records = this.records.slice(from, to);
    const n = records.length;
    const ids = new Uint8Array(n * ID_BYTES);
    const hasPrev = new Uint8Array(n);
    const prevs = new Uint8Array(n * ID_BYTES);
    const tos = new Uint32Array(n).fill(NO_PARTY);
    const keys = new Uint32Array(n).fill(NO_PARTY);
    records.forEach(({ id, tx }, i) => {
      ids.set(hexToBytes(id), i * ID_BYTES);
      if (tx === null) return;
      if (tx.prev !== null) {
        hasPrev[i] = 1;
        prevs.set(hexToBytes(tx.prev), i * ID_BYTES);
      }
      tos[i] = this.party(tx.to);
      keys[i] = this.party(tx.key);
    });
    const accepted = this.accepted.slice(from, to);
    const spent = this.spent.slice(from, to);
    const balances = this.balances.slice(from, to);
    const smallSpent = spent.filter(([, value]) => fitsInt64(value));
    const smallBalances = balances.filter(([, value]) => fitsInt64(value));
    const bigSpent = spent.filter(([, value]) => !fitsInt64(value));
    const bigBalances = balances
      .filter(([, value]) => !fitsInt64(value))
      .map(([address, value]): [number, bigint] => [this.party(address), value]);
    const balanceParties = Uint32Array.from(smallBalances, ([address]) => this.party(address));
    return {
      parties: this.newParties.slice(partiesBefore),
      ids,
      hasPrev,
      prevs,
      tos,
      keys,
      removed: concatBytes(this.removed.slice(from, to).map((id) => hexToBytes(id))),
      acceptedIds: concatBytes(accepted.map((a) => hexToBytes(a.id))),
      acceptedArrivals: Float64Array.from(accepted, (a) => a.arrival),
      acceptedTimes: Float64Array.from(accepted, (a) => a.time),
      spentIds: concatBytes(smallSpent.map(([id]) => hexToBytes(id))),
      spent: BigInt64Array.from(smallSpent, ([, value]) => value),
      balanceParties,
      balances: BigInt64Array.from(smallBalances, ([, value]) => value),
      ...(bigSpent.length > 0 ? { bigSpent } : {}),
      ...(bigBalances.length > 0 ? { bigBalances } : {}),
    };
  }
}

/** The links of the records of one row, as the log keeps them in memory. */
interface LinkChunk {
  readonly ids: Uint8Array;
  readonly hasPrev: Uint8Array;
  readonly prevs: Uint8Array;
  readonly tos: Uint32Array;
  readonly keys: Uint32Array;
}

/** Does `bytes[offset, offset + 20)` equal `id`? */
function idAt(bytes: Uint8Array, offset: number, id: Uint8Array): boolean {
  for (let k = 0; k < ID_BYTES; k++) if (bytes[offset + k] !== id[k]) return false;
  return true;
}

/** The state folded from the log rows: what the store answers from memory. */
export class LedgerLog {
  /** Address → balance. */
  readonly balances = new Map<string, bigint>();
  /** Accepted id → spent, where not 0. */
  readonly spent = new Map<string, bigint>();
  /** Every id with a row. */
  readonly known = new Set<string>();
  private readonly parties: string[] = [];
  private readonly partyNumbers = new Map<string, number>();
  private readonly links: LinkChunk[] = [];
  private readonly accepted: { ids: Uint8Array; arrivals: Float64Array; times: Float64Array }[] = [];
  /** The accepted ids and times by arrival, made when first asked after a change. */
  private inventory: Inventory | undefined;

  get partyCount(): number {
    return this.parties.length;
  }

  partyNumber(name: string): number | undefined {
    return this.partyNumbers.get(name);
  }

  apply(row: LogRow): void {
    for (const name of row.parties) {
      this.partyNumbers.set(name, this.parties.length);
      this.parties.push(name);
    }
    const { ids } = row;
    for (let at = 0; at < ids.length; at += ID_BYTES) this.known.add(hexAt(ids, at, ID_BYTES));
    if (ids.length > 0) this.links.push(row);
    for (let at = 0; at < row.removed.length; at += ID_BYTES) {
      this.known.delete(hexAt(row.removed, at, ID_BYTES));
    }
    if (row.acceptedIds.length > 0) {
      this.accepted.push({ ids: row.acceptedIds, arrivals: row.acceptedArrivals, times: row.acceptedTimes });
      this.inventory = undefined;
    }
    row.spent.forEach((value, i) => this.spent.set(hexAt(row.spentIds, i * ID_BYTES, ID_BYTES), value));
    for (const [id, value] of row.bigSpent ?? []) this.spent.set(id, value);
    row.balances.forEach((value, i) => this.balances.set(this.parties[row.balanceParties[i]!]!, value));
    for (const [party, value] of row.bigBalances ?? []) this.balances.set(this.parties[party]!, value);
  }

  /** Ids of the records whose tx names `parentId` as prev (some may since have been deleted). */
  childIds(parentId: string): string[] {
    const parent = hexToBytes(parentId);
    return this.scan((chunk, i) => chunk.hasPrev[i] === 1 && idAt(chunk.prevs, i * ID_BYTES, parent));
  }

  /** Ids of the records sent to `address`. */
  idsSentTo(address: string): string[] {
    const party = this.partyNumbers.get(address);
    return party === undefined ? [] : this.scan((chunk, i) => chunk.tos[i] === party);
  }

  /** Ids of the records signed by `publicKey`. */
  idsSentBy(publicKey: string): string[] {
    const party = this.partyNumbers.get(publicKey);
    return party === undefined ? [] : this.scan((chunk, i) => chunk.keys[i] === party);
  }

  private scan(matches: (chunk: LinkChunk, i: number) => boolean): string[] {
    const found = new Set<string>();
    for (const chunk of this.links) {
      for (let i = 0; i < chunk.tos.length; i++) {
        if (matches(chunk, i)) found.add(hexAt(chunk.ids, i * ID_BYTES, ID_BYTES));
      }
    }
    return [...found];
  }

  /** Id and tx time of every accepted record, by arrival. */
  acceptedInventory(): Inventory {
    if (this.inventory === undefined) {
      const entries: { id: string; arrival: number; time: number }[] = [];
      for (const chunk of this.accepted) {
        chunk.arrivals.forEach((arrival, i) =>
          entries.push({ id: hexAt(chunk.ids, i * ID_BYTES, ID_BYTES), arrival, time: chunk.times[i]! }),
        );
      }
      entries.sort((a, b) => a.arrival - b.arrival);
      this.inventory = { ids: entries.map((e) => e.id), times: entries.map((e) => e.time) };
    }
    return { ids: [...this.inventory.ids], times: [...this.inventory.times] };
  }
}

/** One row holding what `rows` hold, folded in order to the same state. */
export function mergeLogRows(rows: readonly LogRow[]): LogRow {
  const cat = (pick: (row: LogRow) => Uint8Array) => concatBytes(rows.map(pick));
  const spent = new Map<string, bigint>();
  const balances = new Map<number, bigint>();
  for (const row of rows) {
    row.spent.forEach((value, i) => spent.set(hexAt(row.spentIds, i * ID_BYTES, ID_BYTES), value));
    for (const [id, value] of row.bigSpent ?? []) spent.set(id, value);
    row.balances.forEach((value, i) => balances.set(row.balanceParties[i]!, value));
    for (const [party, value] of row.bigBalances ?? []) balances.set(party, value);
  }
  const smallSpent = [...spent].filter(([, value]) => fitsInt64(value));
  const smallBalances = [...balances].filter(([, value]) => fitsInt64(value));
  const bigSpent = [...spent].filter(([, value]) => !fitsInt64(value));
  const bigBalances = [...balances].filter(([, value]) => !fitsInt64(value));
  const numbers = (pick: (row: LogRow) => Iterable<number>) => rows.flatMap((row) => [...pick(row)]);
  return {
    parties: rows.flatMap((row) => row.parties),
    ids: cat((row) => row.ids),
    hasPrev: cat((row) => row.hasPrev),
    prevs: cat((row) => row.prevs),
    tos: Uint32Array.from(numbers((row) => row.tos)),
    keys: Uint32Array.from(numbers((row) => row.keys)),
    removed: cat((row) => row.removed),
    acceptedIds: cat((row) => row.acceptedIds),
    acceptedArrivals: Float64Array.from(numbers((row) => row.acceptedArrivals)),
    acceptedTimes: Float64Array.from(numbers((row) => row.acceptedTimes)),
    spentIds: concatBytes(smallSpent.map(([id]) => hexToBytes(id))),
    spent: BigInt64Array.from(smallSpent, ([, value]) => value),
    balanceParties: Uint32Array.from(smallBalances, ([party]) => party),
    balances: BigInt64Array.from(smallBalances, ([, value]) => value),
    ...(bigSpent.length > 0 ? { bigSpent } : {}),
    ...(bigBalances.length > 0 ? { bigBalances } : {}),
  };
}

/** The size of a row in entries of its largest kind (what MAX_LOG_ROW_ENTRIES bounds). */
export function logRowEntries(row: LogRow): number {
  return Math.max(
    row.hasPrev.length,
    row.removed.length / ID_BYTES,
    row.acceptedArrivals.length,
    row.spent.length,
    row.balances.length,
  );
}
