// How the IndexedDB store keeps a TxRecord on disk (schema version 2): the bytes once (the parsed
// transaction is parsed again from them on read, not stored beside them), the SHA-256 pin as 32 bytes,
// as top-level fields only what an index needs (links, waitingOn, dueAt), and no `spent`: it
// changes with every child, so the store keeps it apart (src/storage/idbLedgerStore.ts). Pure functions,
// so that Node tests check the round trip on every kind of record.
import { bytesToHex, hexToBytes } from '../core/hex.ts';
import type { Tx } from '../core/tx.ts';
import type { TxRecord } from '../core/txRecord.ts';

/** The verdict's figures, copied as they are when present. */
const FIGURES = [
  'reason',
  'detail',
  'waitingOn',
  'dueAt',
  'conflictWith',
  'work',
  'base',
  'mint',
  'fee',
  'value',
  'cost',
  'recentWork',
] as const;

/** A record as stored. Optional fields are absent, never undefined (an index skips absent ones). */
export type StoredTx = Pick<TxRecord, 'arrival' | 'bytes' | 'status' | (typeof FIGURES)[number]> & {
  /** The id as 20 bytes: keys are stored once per index entry, and a hex string key takes 80. */
  readonly id: Uint8Array<ArrayBuffer>;
  readonly sha256: Uint8Array;
  /** 1 when the record has a parsed transaction (checks 1–5 passed); then `bytes` holds it. */
  readonly parsed?: 1;
  /**
   * What the record links to, for one multi-entry index instead of three: `linkOf('prev', tx.prev)`,
   * `linkOf('to', tx.to)` and `linkOf('key', tx.key)`. Absent when the record did not parse.
   */
  readonly links?: Uint8Array<ArrayBuffer>[];
};

/** The key of a record's row. */
export function rowKeyOf(id: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hexToBytes(id));
}

const LINK_TAG = { prev: 1, to: 2, key: 3 } as const;
const encoder = new TextEncoder();

/**
 * The `links` index key under which a record is found by its parent, recipient or signing key: a tag
 * byte, then the id or key as bytes (the address as its ASCII text).
 */
export function linkOf(kind: keyof typeof LINK_TAG, value: string): Uint8Array<ArrayBuffer> {
  const body = kind === 'to' ? encoder.encode(value) : hexToBytes(value);
  const link = new Uint8Array(1 + body.length);
  link[0] = LINK_TAG[kind];
  link.set(body, 1);
  return link;
}

type Figures = Partial<Record<(typeof FIGURES)[number], unknown>>;

function copyFigures(from: Figures, to: Figures): void {
  for (const name of FIGURES) if (from[name] !== undefined) to[name] = from[name];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function toStoredTx(record: TxRecord): StoredTx {
  const stored: Record<string, unknown> = {
    id: rowKeyOf(record.id),
    arrival: record.arrival,
    // A copy: a view into a larger buffer (a network frame) would be stored whole by structured clone.
    bytes: record.bytes === null ? null : record.bytes.slice(),
    sha256: hexToBytes(record.sha256),
    status: record.status,
  };
  if (record.tx !== null) {
    const { prev, to, key } = record.tx;
    stored.parsed = 1;
    stored.links = [...(prev === null ? [] : [linkOf('prev', prev)]), linkOf('to', to), linkOf('key', key)];
  }
  copyFigures(record, stored);
  return stored as unknown as StoredTx;
}

export function fromStoredTx(stored: StoredTx): TxRecord {
  // The bytes passed checks 1–4 when they were received, so parsing them again gives the same value.
  const tx = stored.parsed === 1 ? (JSON.parse(decoder.decode(stored.bytes!)) as Tx) : null;
  const record: Record<string, unknown> = {
    id: bytesToHex(stored.id),
    arrival: stored.arrival,
    bytes: stored.bytes,
    sha256: bytesToHex(stored.sha256),
    tx,
    prev: tx?.prev ?? null,
    to: tx?.to ?? null,
    status: stored.status,
  };
  copyFigures(stored, record);
  return record as unknown as TxRecord;
}
