// The part of the ledger's DAG around some transactions (the wallet's own), as plain data for the graph
// view: every transaction within `radius` hops along prev, child and conflict links, nearest first, at
// most `maxNodes` of them. A conflict and the sibling that beat it are 2 hops apart through their parent,
// so the default radius shows both; the conflict link joins them directly as well.
import { addressOfKeyHex } from '../core/address.ts';
import type { LedgerReader, TxRecord } from '../core/txRecord.ts';
import type { TxStatus } from '../core/verdict.ts';
import { directionOf, type WalletIdentity } from './txDetail.ts';

/** `missing`: a parent that an orphan waits for and this node has not received. */
export type GraphStatus = TxStatus | 'missing';

export interface GraphNode {
  readonly id: string;
  readonly status: GraphStatus;
  readonly reason: string | null;
  /** The parent's id (whether or not it is shown); null for the genesis, unparsed and missing nodes. */
  readonly prev: string | null;
  readonly tokens: number | null;
  /** Sender and recipient addresses shortened for a label (`ttx1abcd…wxyz`). */
  readonly fromShort: string | null;
  readonly toShort: string | null;
  /** Sent or received by the wallet. */
  readonly isMine: boolean;
  /** Null for missing nodes, which this node has not received. */
  readonly arrival: number | null;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `prev`: parent → child; `conflict`: the accepted sibling → the conflict that lost to it. */
  readonly kind: 'prev' | 'conflict';
}

export interface LedgerGraph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  /** True when more transactions were within reach than `maxNodes`. */
  readonly truncated: boolean;
}

export const DEFAULT_GRAPH_RADIUS = 2;
export const MAX_GRAPH_RADIUS = 6;
export const MAX_GRAPH_NODES = 200;

export function shortAddress(address: string): string {
  return `${address.slice(0, 8)}…${address.slice(-4)}`;
}

function nodeOf(record: TxRecord, me: WalletIdentity | undefined): GraphNode {
  const tx = record.tx;
  return {
    id: record.id,
    status: record.status,
    reason: record.reason ?? null,
    prev: record.prev,
    tokens: tx?.tokens ?? null,
    fromShort: tx === null ? null : shortAddress(addressOfKeyHex(tx.key)),
    toShort: tx === null ? null : shortAddress(tx.to),
    isMine: directionOf(record, me) !== null,
    arrival: record.arrival,
  };
}

function missingNode(id: string): GraphNode {
  const none = { reason: null, prev: null, tokens: null, fromShort: null, toShort: null, arrival: null };
  return { id, status: 'missing', isMine: false, ...none };
}

/**
 * The DAG within `radius` hops of `centerIds` (ids this node does not know are skipped), found breadth
 * first so that when `maxNodes` cuts it, what is cut is the farthest.
 */
export async function ledgerGraph(
  store: LedgerReader,
  centerIds: readonly string[],
  radius = DEFAULT_GRAPH_RADIUS,
  me?: WalletIdentity,
  maxNodes = MAX_GRAPH_NODES,
): Promise<LedgerGraph> {
  // The arguments come from the page: clamp them rather than let a large radius walk the whole ledger.
  const hops = Math.max(0, Math.min(MAX_GRAPH_RADIUS, Math.floor(Number(radius) || 0)));
  const limit = Math.max(1, Math.min(MAX_GRAPH_NODES, Math.floor(Number(maxNodes) || 0)));
  const nodes = new Map<string, GraphNode>();
  const records = new Map<string, TxRecord>();
  let frontier: TxRecord[] = [];
  let truncated = false;

  /** Adds a record to the picture and the next hop's frontier; false when the picture is full. */
  const add = (record: TxRecord): boolean => {
    if (nodes.has(record.id)) return true;
    if (nodes.size >= limit) return false;
    nodes.set(record.id, nodeOf(record, me));
    records.set(record.id, record);
    frontier.push(record);
    return true;
  };

  for (const id of new Set(centerIds)) {
    const record = await store.getTx(id);
    if (record !== undefined && !add(record)) {
      truncated = true;
      break;
    }
  }
  for (let hop = 0; hop < hops && frontier.length > 0 && !truncated; hop++) {
    const current = frontier;
    frontier = [];
    for (const record of current) {
      const neighbours: TxRecord[] = [];
      if (record.prev !== null && !nodes.has(record.prev)) {
        const parent = await store.getTx(record.prev);
        if (parent !== undefined) neighbours.push(parent);
        else if (nodes.size < limit) nodes.set(record.prev, missingNode(record.prev));
        else truncated = true;
      }
      for (const other of record.conflictWith ?? []) {
        const sibling = nodes.has(other) ? undefined : await store.getTx(other);
        if (sibling !== undefined) neighbours.push(sibling);
      }
      neighbours.push(...(await store.childrenOf(record.id)));
      for (const neighbour of neighbours) {
        if (!add(neighbour)) {
          truncated = true;
          break;
        }
      }
      if (truncated) break;
    }
  }

  const edges: GraphEdge[] = [];
  for (const node of nodes.values()) {
    if (node.prev !== null && nodes.has(node.prev))
      edges.push({ from: node.prev, to: node.id, kind: 'prev' });
    for (const winner of records.get(node.id)?.conflictWith ?? []) {
      if (nodes.has(winner)) edges.push({ from: winner, to: node.id, kind: 'conflict' });
    }
  }
  return { nodes: [...nodes.values()], edges, truncated };
}
