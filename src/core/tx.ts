// The transaction record of PROTOCOL §2 and the limits it sets.

/** A parsed, structurally valid tx.json. Field order here is irrelevant: bytes are always JCS. */
export interface Tx {
  readonly tokens: number;
  readonly to: string;
  readonly key: string;
  readonly time: number;
  readonly prev: string | null;
  readonly nonce?: number;
  readonly memo?: string;
  readonly signature: string;
}

/** A transaction before it is signed: what the signature covers (PROTOCOL §4). */
export type UnsignedTx = Omit<Tx, 'signature'>;

export const MAX_TX_BYTES = 1024;
export const MAX_MEMO_BYTES = 280;
export const MAX_SAFE = Number.MAX_SAFE_INTEGER; // 2^53 − 1, the bound of tokens, time and nonce
/** PROTOCOL §5.11: a transaction more than this far ahead of the node's clock is held as `future`. */
export const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;

export const TX_FIELDS: ReadonlySet<string> = new Set([
  'tokens',
  'to',
  'key',
  'time',
  'prev',
  'nonce',
  'memo',
  'signature',
]);
