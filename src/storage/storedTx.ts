// How the IndexedDB store keeps a TxRecord on disk (schema version 3): the bytes once (the parsed
// transaction is parsed again from them on read, not stored beside them), the SHA-256 pin as 32 bytes,
// as top-level fields only what an index needs (waitingOn, dueAt), and no `spent`: it changes with
// every child, so the store keeps it in its log (src/storage/ledgerLog.ts), as it keeps what a record
// links to. Pure functions, so that Node tests check the round trip on every kind of record.
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
};

/** The key of a record's row. */
export function rowKeyOf(id: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hexToBytes(id));
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
  if (record.tx !== null) stored.parsed = 1;
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
