// Two payments prepared from the same tokens (two reviews open at once, as two tabs forwarding to one
// writer would have) are signed one at a time against what is left of their source: the first is signed,
// the second is refused before anything is signed when the source no longer covers it, and is signed
// from what is left when it still does. A real core Ledger over the in-memory stores.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import { LedgerService } from '../../src/ledger/ledgerService.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { MemoryWalletKeyStore } from '../../src/storage/walletKeyStore.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';

const net = makeTestNetwork();
const bob = personNamed('bob');

/** A wallet whose only spendable output is one payment of `tokens` from the genesis. */
async function walletWithOneOutput(tokens: number) {
  const store = new MemoryLedgerStore();
  const service = new LedgerService({
    ledger: new Ledger(store, net.params),
    store,
    keys: new MemoryWalletKeyStore(),
    network: net.params,
    clock: () => Date.now(),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
  });
  const address = await service.open(net.genesis.bytes);
  const funding = pay(net.owner, { ...net.owner, address }, tokens, net.genesis.id);
  await service.submit(funding.bytes);
  return { service, store, address, fundingId: funding.id };
}

describe('signing one payment at a time', () => {
  it('of two payments that together overspend the one output, signs the first and refuses the second', async () => {
    const { service, store, fundingId } = await walletWithOneOutput(1000);
    const first = await service.preparePayment({ to: bob.address, tokens: 600 });
    const second = await service.preparePayment({ to: bob.address, tokens: 600 });
    // Both reviews chose the one output: neither knew of the other.
    expect(first.parts[0]!.sourceId).toBe(fundingId);
    expect(second.parts[0]!.sourceId).toBe(fundingId);
    const [a, b] = await Promise.allSettled([
      service.signPayment(first.draftId, [null]),
      service.signPayment(second.draftId, [null]),
    ]);
    expect(a).toMatchObject({ status: 'fulfilled', value: [{ status: 'accepted' }] });
    expect(b).toMatchObject({
      status: 'rejected',
      reason: { name: 'PaymentError', message: expect.stringContaining('review the payment again') },
    });
    // Nothing but the first was signed: no conflict record, one child of the output.
    const children = await store.childrenOf(fundingId);
    expect(children.map((r) => r.status)).toEqual(['accepted']);
    expect(store.all().filter((r) => r.status === 'conflict')).toEqual([]);
    // The refused draft is gone; a fresh review says what is left.
    await expect(service.signPayment(second.draftId, [null])).rejects.toThrow('already sent or cancelled');
    await expect(service.preparePayment({ to: bob.address, tokens: 600 })).rejects.toThrow(
      'not enough tokens',
    );
  });

  it('signs both when what is left after the first still covers the second', async () => {
    const { service, store, fundingId } = await walletWithOneOutput(1000);
    // Different amounts: two identical payments signed in the same millisecond are the same transaction.
    const first = await service.preparePayment({ to: bob.address, tokens: 300 });
    const second = await service.preparePayment({ to: bob.address, tokens: 301 });
    const results = await Promise.all([
      service.signPayment(first.draftId, [null]),
      service.signPayment(second.draftId, [null]),
    ]);
    expect(results.map((r) => r[0]!.status)).toEqual(['accepted', 'accepted']);
    expect((await store.childrenOf(fundingId)).map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });
});
