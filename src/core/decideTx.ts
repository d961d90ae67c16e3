// The stateful half of PROTOCOL §5, checks 6–14, for one structurally valid transaction given its
// parent's record. Pure: the ledger fetches the parent and applies the decision. CONSENSUS CODE.
import { addressOfKeyHex } from './address.ts';
import type { NetworkParams } from './network.ts';
import { FUTURE_TOLERANCE_MS, type Tx } from './tx.ts';
import type { TxRecord } from './txRecord.ts';
import { isHeld, isRejected } from './verdict.ts';
import { branchBase, mintAndFee, recentWorkAfter, workOf } from './work.ts';

export type Decision =
  | {
      status: 'accepted';
      work: number;
      base: number;
      mint: bigint;
      fee: bigint;
      value: bigint;
      cost: bigint;
      recentWork: number[];
    }
  | { status: 'conflict'; work: number; base: number; mint: bigint; fee: bigint; cost: bigint }
  | { status: 'invalid'; reason: 'not-genesis' | 'parent-rejected' | 'wrong-owner' | 'time-before-prev' }
  | { status: 'invalid'; reason: 'overspend'; work: number; base: number; mint: bigint; fee: bigint }
  | { status: 'orphan'; waitingOn: string }
  | { status: 'future'; dueAt: number };

export function decideTx(
  id: string,
  tx: Tx,
  parent: TxRecord | undefined,
  network: NetworkParams,
  now: number,
  /** workOf(tx), where the caller found it already (checkParsedTx does). */
  knownWork?: number,
): Decision {
  // §5.6 and §7: one genesis per network; its value is its tokens, with no mint or fee.
  if (tx.prev === null) {
    if (id !== network.genesisId) return { status: 'invalid', reason: 'not-genesis' };
    const work = knownWork ?? workOf(tx);
    const tokens = BigInt(tx.tokens);
    return {
      status: 'accepted',
      work,
      base: 0,
      mint: 0n,
      fee: 0n,
      value: tokens,
      cost: tokens,
      recentWork: recentWorkAfter(work, []),
    };
  }
  // §5.7 – §5.10
  if (parent === undefined || isHeld(parent.status)) return { status: 'orphan', waitingOn: tx.prev };
  if (isRejected(parent.status) || parent.tx === null)
    return { status: 'invalid', reason: 'parent-rejected' };
  if (addressOfKeyHex(tx.key) !== parent.to) return { status: 'invalid', reason: 'wrong-owner' };
  if (tx.time < parent.tx.time) return { status: 'invalid', reason: 'time-before-prev' };
  // §5.11
  if (tx.time > now + FUTURE_TOLERANCE_MS) return { status: 'future', dueAt: tx.time - FUTURE_TOLERANCE_MS };
  // §6: the base is the mean work of the nearest ancestors, which the parent's recentWork lists.
  const work = knownWork ?? workOf(tx);
  const base = branchBase(parent.recentWork ?? []);
  const { mint, fee } = mintAndFee(work, base, network.powUnit);
  const tokens = BigInt(tx.tokens);
  const cost = tokens + fee;
  const parentValue = parent.value ?? 0n;
  // §5.12 – §5.13
  if (cost > parentValue) return { status: 'invalid', reason: 'overspend', work, base, mint, fee };
  if (cost > parentValue - (parent.spent ?? 0n)) return { status: 'conflict', work, base, mint, fee, cost };
  return {
    status: 'accepted',
    work,
    base,
    mint,
    fee,
    value: tokens + mint,
    cost,
    recentWork: recentWorkAfter(work, parent.recentWork ?? []),
  };
}
