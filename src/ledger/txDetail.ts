// Everything the ledger knows about one transaction, as plain data for the detail view: its verdict and
// why, its exact bytes as text, its fields, its proof-of-work figures and its neighbours in the DAG
// (parent, children, and the siblings a conflict lost to or won against). Read-only: it decides nothing.
import { addressOfKeyHex } from '../core/address.ts';
import type { LedgerReader, TxRecord } from '../core/txRecord.ts';
import type { TxStatus } from '../core/verdict.ts';

/** A neighbour in the DAG; `status` null means this node has not received it (an orphan's parent). */
export interface TxLink {
  readonly id: string;
  readonly status: TxStatus | null;
  readonly tokens: number | null;
}

/** Whose transaction it is, seen from the wallet: null when neither sent nor received by it. */
export type TxDirection = 'in' | 'out' | 'self' | null;

export interface TxDetail {
  readonly id: string;
  readonly status: TxStatus;
  readonly reason: string | null;
  readonly detail: string | null;
  /** The bytes as received, decoded as UTF-8 (bad sequences show as U+FFFD); null if too large to keep. */
  readonly txJson: string | null;
  readonly byteLength: number | null;
  /** Parsed fields; all null when the bytes did not parse (checks 1–4 failed). */
  readonly tokens: number | null;
  readonly to: string | null;
  readonly key: string | null;
  /** The address of `key` (PROTOCOL §3): who signed, hence who spent the parent. */
  readonly from: string | null;
  readonly memo: string | null;
  readonly time: number | null;
  readonly nonce: number | null;
  /** Decimal strings: amounts are bigints and may pass 2^53. Null until the verdict computes them. */
  readonly mint: string | null;
  readonly fee: string | null;
  readonly value: string | null;
  readonly spent: string | null;
  readonly work: string | null;
  readonly base: string | null;
  readonly direction: TxDirection;
  /** Null for the genesis and for bytes that did not parse. */
  readonly parent: TxLink | null;
  readonly children: TxLink[];
  /** For a conflict: the accepted siblings that spent the parent first (PROTOCOL §5.13), who won. */
  readonly conflictWith: TxLink[];
  /** For an accepted transaction: the later siblings that lost to it as conflicts. */
  readonly wonAgainst: TxLink[];
  /** For `future`: the node time from which it may be decided. */
  readonly dueAt: number | null;
  readonly arrival: number;
}

/** The wallet the detail is seen from: only its address and public key, never its secret. */
export interface WalletIdentity {
  readonly address: string;
  readonly publicKey: string;
}

export function linkOf(id: string, record: TxRecord | undefined): TxLink {
  return { id, status: record?.status ?? null, tokens: record?.tx?.tokens ?? null };
}

export function directionOf(record: TxRecord, me: WalletIdentity | undefined): TxDirection {
  if (me === undefined || record.tx === null) return null;
  const incoming = record.to === me.address;
  const outgoing = record.tx.key === me.publicKey;
  return incoming && outgoing ? 'self' : incoming ? 'in' : outgoing ? 'out' : null;
}

const text = (value: bigint | number | undefined) => (value === undefined ? null : value.toString());

/** The detail of transaction `id`, or null if this node has never received it. */
export async function txDetail(
  store: LedgerReader,
  id: string,
  me?: WalletIdentity,
): Promise<TxDetail | null> {
  const record = await store.getTx(id);
  if (record === undefined) return null;
  const tx = record.tx;
  const parentRecord = record.prev === null ? undefined : await store.getTx(record.prev);
  const children = await store.childrenOf(id);
  const siblings = parentRecord === undefined ? [] : await store.childrenOf(parentRecord.id);
  const conflictWith = await Promise.all(
    (record.conflictWith ?? []).map(async (other) => linkOf(other, await store.getTx(other))),
  );
  return {
    id,
    status: record.status,
    reason: record.reason ?? null,
    detail: record.detail ?? null,
    // Not fatal: invalid bytes are exactly what a person inspecting a rejection wants to see.
    txJson: record.bytes === null ? null : new TextDecoder('utf-8', { fatal: false }).decode(record.bytes),
    byteLength: record.bytes?.length ?? null,
    tokens: tx?.tokens ?? null,
    to: tx?.to ?? null,
    key: tx?.key ?? null,
    from: tx === null ? null : addressOfKeyHex(tx.key),
    memo: tx?.memo ?? null,
    time: tx?.time ?? null,
    nonce: tx === null ? null : (tx.nonce ?? 0),
    mint: text(record.mint),
    fee: text(record.fee),
    value: text(record.value),
    spent: text(record.spent),
    work: text(record.work),
    base: text(record.base),
    direction: directionOf(record, me),
    parent: record.prev === null ? null : linkOf(record.prev, parentRecord),
    children: children.map((child) => linkOf(child.id, child)),
    conflictWith,
    wonAgainst: siblings
      .filter((s) => s.status === 'conflict' && (s.conflictWith ?? []).includes(id))
      .map((s) => linkOf(s.id, s)),
    dueAt: record.dueAt ?? null,
    arrival: record.arrival,
  };
}
