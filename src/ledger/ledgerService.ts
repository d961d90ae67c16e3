// The ledger worker's service: the only owner of the ledger and the keys. It decides what arrives from
// peers (through the gossip port), makes and signs the wallet's payments, and tells the page what to
// show. It runs unchanged in a worker (IndexedDB stores) and in Node tests (memory stores).
import { addressOfKeyHex, checkAddress } from '../core/address.ts';
import { bytesToHex, hexToBytes } from '../core/hex.ts';
import type { Ledger } from '../core/ledger.ts';
import { encodeWithId, keyPairOf, signTx } from '../core/makeTx.ts';
import type { NetworkParams } from '../core/network.ts';
import { MAX_MEMO_BYTES, MAX_SAFE, type UnsignedTx } from '../core/tx.ts';
import { remainingOf, type TxRecord } from '../core/txRecord.ts';
import { encodeUtf8 } from '../core/utf8.ts';
import { isHeld, isRejected } from '../core/verdict.ts';
import { branchBase, mintAndFee, workBase, workOf } from '../core/work.ts';
import type { GossipLedger, GossipReceipt } from '../net/gossipLedger.ts';
import type { StoredAccount, WalletKeyStore } from '../storage/walletKeyStore.ts';
import { chooseSource } from './chooseSource.ts';
import { gossipLedgerOf } from './gossipLedgerOf.ts';
import type { QueryableLedgerStore } from './queryableStore.ts';
import type { HistoryEntry, WalletSnapshot } from './walletSnapshot.ts';

export class PaymentError extends Error {
  override readonly name = 'PaymentError';
}

/** Where accepted transactions go to be gossiped and seeded: the network worker, over a port. */
export interface Publisher {
  publish(items: { id: string; bytes: Uint8Array }[]): Promise<void> | void;
}

export interface PaymentRequest {
  readonly to: string;
  readonly tokens: number;
  readonly memo?: string;
}

/** A payment ready to be mined and signed. The secret key stays here; the draft holds none. */
export interface PaymentDraft {
  readonly draftId: number;
  readonly sourceId: string;
  /** Work base (hex) to mine a nonce over, and the branch base in bits: reach it to pay no fee. */
  readonly workBaseHex: string;
  readonly baseBits: number;
  /** Fee if signed without mining (decimal string), and the cost of the payment then. */
  readonly feeWithoutWork: string;
  readonly tokens: number;
  readonly to: string;
  readonly memo: string | null;
}

export interface LedgerServiceParts {
  readonly ledger: Ledger;
  readonly store: QueryableLedgerStore;
  readonly keys: WalletKeyStore;
  readonly network: NetworkParams;
  readonly clock: () => number;
  readonly randomBytes: (length: number) => Uint8Array;
}

export class LedgerService {
  private account: StoredAccount | undefined;
  private publisher: Publisher | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly drafts = new Map<number, UnsignedTx>();
  private nextDraft = 1;
  private readonly gossipLedger: GossipLedger;

  constructor(readonly parts: LedgerServiceParts) {
    const inner = gossipLedgerOf(parts.ledger, parts.store, parts.clock);
    // Everything peers send goes through here, so the page hears of every change.
    this.gossipLedger = {
      ...inner,
      receive: async (items: Uint8Array[]): Promise<GossipReceipt> => {
        const receipt = await inner.receive(items);
        this.changed();
        const me = this.account;
        const accepted = await Promise.all(
          receipt.accepted.map(async (item) => {
            const record = await parts.store.getTx(item.id);
            const ours = me !== undefined && (record?.to === me.address || record?.tx?.key === me.publicKey);
            return { ...item, seed: ours };
          }),
        );
        return { ...receipt, accepted };
      },
    };
  }

  /** Receives the network's genesis and loads (or creates) the wallet's first account. */
  async open(genesisTx: Uint8Array): Promise<string> {
    await this.parts.ledger.receive([genesisTx], this.parts.clock());
    const [first] = await this.parts.keys.accounts();
    this.account =
      first ??
      (await this.parts.keys.add({
        label: 'Account 1',
        ...keyPairOf(this.parts.randomBytes(32)),
        created: this.parts.clock(),
      }));
    return this.account.address;
  }

  gossip(): GossipLedger {
    return this.gossipLedger;
  }

  setPublisher(publisher: Publisher): void {
    this.publisher = publisher;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** The active account (its secret key never leaves this worker). */
  currentAccount(): StoredAccount {
    return this.me;
  }

  /** Makes another stored account the active one; the page shows its snapshot from then on. */
  useAccount(account: StoredAccount): void {
    this.account = account;
    this.changed();
  }

  /** Tells the page to refresh (for services built on this one). */
  notifyChange(): void {
    this.changed();
  }

  /** Publishes records that became accepted (for services built on this one). */
  publishRecords(decided: readonly TxRecord[]): Promise<void> {
    return this.publishAccepted(decided);
  }

  private get me(): StoredAccount {
    if (!this.account) throw new PaymentError('the wallet is not open yet');
    return this.account;
  }

  /** Takes a transaction handed in from outside the swarm (a faucet payment), then publishes it. */
  async submit(bytes: Uint8Array): Promise<TxRecord> {
    const { outcomes, decided } = await this.parts.ledger.receive([bytes], this.parts.clock());
    await this.publishAccepted(decided);
    this.changed();
    return outcomes[0]!.record;
  }

  private async publishAccepted(decided: readonly TxRecord[]): Promise<void> {
    const items = decided
      .filter((r) => r.status === 'accepted' && r.bytes !== null)
      .map((r) => ({ id: r.id, bytes: r.bytes! }));
    if (items.length > 0) await this.publisher?.publish(items);
  }

  /** Checks a payment and picks what pays for it; the page then mines (or not) and asks to sign. */
  async preparePayment(request: PaymentRequest): Promise<PaymentDraft> {
    const me = this.me;
    const address = checkAddress(request.to);
    if (!address.ok) throw new PaymentError(`the recipient is not a valid address: ${address.problem}`);
    if (!Number.isSafeInteger(request.tokens) || request.tokens < 1 || request.tokens > MAX_SAFE) {
      throw new PaymentError(`the amount must be a whole number of tokens from 1, got ${request.tokens}`);
    }
    const memo = request.memo === undefined || request.memo === '' ? undefined : request.memo;
    if (memo !== undefined && encodeUtf8(memo).length > MAX_MEMO_BYTES) {
      throw new PaymentError(`the memo is ${encodeUtf8(memo).length} bytes, at most ${MAX_MEMO_BYTES}`);
    }
    const { powUnit } = this.parts.network;
    const outputs = await this.parts.store.sentTo(me.address);
    // Cover the worst case, no work at all: the fee is then the whole branch base.
    const source = chooseSource(
      outputs,
      (record) => BigInt(request.tokens) + BigInt(branchBase(record.recentWork ?? [])) * powUnit,
    );
    if (!source) {
      const spendable = outputs.reduce((sum, r) => sum + remainingOf(r), 0n);
      throw new PaymentError(
        spendable < BigInt(request.tokens)
          ? `not enough tokens: ${spendable} spendable, ${request.tokens} asked`
          : 'no single received payment covers this amount and its fee; send less',
      );
    }
    const unsigned: UnsignedTx = {
      tokens: request.tokens,
      to: request.to,
      key: me.publicKey,
      time: Math.max(this.parts.clock(), source.tx!.time),
      prev: source.id,
      ...(memo === undefined ? {} : { memo }),
    };
    const baseBits = branchBase(source.recentWork ?? []);
    const draftId = this.nextDraft++;
    this.drafts.set(draftId, unsigned);
    return {
      draftId,
      sourceId: source.id,
      workBaseHex: bytesToHex(workBase(unsigned)),
      baseBits,
      feeWithoutWork: mintAndFee(workOf(unsigned), baseBits, powUnit).fee.toString(),
      tokens: request.tokens,
      to: request.to,
      memo: memo ?? null,
    };
  }

  /** Signs a prepared payment with the mined nonce (or none), records it and publishes it. */
  async signPayment(
    draftId: number,
    nonce: number | null,
  ): Promise<{ id: string; status: string; reason?: string }> {
    const unsigned = this.drafts.get(draftId);
    if (!unsigned) throw new PaymentError('this payment was already sent or cancelled');
    this.drafts.delete(draftId);
    const withNonce = nonce === null ? unsigned : { ...unsigned, nonce };
    const signed = encodeWithId(signTx(withNonce, hexToBytes(this.me.secretKey)));
    const record = await this.submit(signed.bytes);
    return { id: signed.id, status: record.status, ...(record.reason ? { reason: record.reason } : {}) };
  }

  async snapshot(): Promise<WalletSnapshot> {
    const me = this.me;
    const { store } = this.parts;
    const received = await store.sentTo(me.address);
    const sent = await store.sentBy(me.publicKey);
    const byId = new Map<string, TxRecord>();
    for (const record of [...received, ...sent]) byId.set(record.id, record);
    const history: HistoryEntry[] = [...byId.values()]
      .sort((a, b) => b.arrival - a.arrival)
      .map((record) => historyEntry(record, me));
    const sum = (records: TxRecord[]) => records.reduce((total, r) => total + BigInt(r.tx?.tokens ?? 0), 0n);
    const all = await store.allRecords();
    return {
      address: me.address,
      spendable: (await store.getBalance(me.address)).toString(),
      held: sum(received.filter((r) => isHeld(r.status))).toString(),
      inConflict: sum(received.filter((r) => r.status === 'conflict')).toString(),
      history,
      ledger: {
        known: all.length,
        accepted: all.filter((r) => r.status === 'accepted').length,
        held: all.filter((r) => isHeld(r.status)).length,
        rejected: all.filter((r) => isRejected(r.status)).length,
      },
    };
  }

  /** The exact bytes of every stored transaction, oldest first (tests replay them through the core). */
  async exportBytes(): Promise<Uint8Array[]> {
    return (await this.parts.store.allRecords()).flatMap((r) => (r.bytes ? [r.bytes] : []));
  }
}

function historyEntry(record: TxRecord, me: StoredAccount): HistoryEntry {
  const tx = record.tx!;
  const incoming = record.to === me.address;
  const outgoing = tx.key === me.publicKey;
  return {
    id: record.id,
    direction: incoming && outgoing ? 'self' : incoming ? 'in' : 'out',
    tokens: tx.tokens,
    counterparty: incoming && !outgoing ? addressOfKeyHex(tx.key) : tx.to,
    memo: tx.memo ?? null,
    time: tx.time,
    status: record.status,
    reason: record.reason ?? null,
    mint: record.mint?.toString() ?? null,
    fee: record.fee?.toString() ?? null,
    arrival: record.arrival,
  };
}
