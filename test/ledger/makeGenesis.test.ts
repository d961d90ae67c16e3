// A genesis made in the wallet (src/ledger/makeGenesis.ts) is one the core accepts as the genesis of the
// network it names: all its tokens to the signer, at least the asked work, and a first spend of it whose
// branch base is that work. Bad supplies are refused by name.
import { describe, expect, it } from 'vitest';
import { Ledger, recordOf } from '../../src/core/ledger.ts';
import { workOf } from '../../src/core/work.ts';
import { GENESIS_WORK_BITS, makeGenesis } from '../../src/ledger/makeGenesis.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { GENESIS_TIME, pay, personNamed } from '../support/testNetwork.ts';

describe('makeGenesis', () => {
  it('makes a mined, signed genesis that a ledger of that network accepts', async () => {
    const owner = personNamed('creator');
    const genesis = makeGenesis(owner, 10 ** 12, GENESIS_TIME);
    expect(genesis.tx).toMatchObject({
      tokens: 10 ** 12,
      to: owner.address,
      key: owner.publicKey,
      prev: null,
    });
    expect(workOf(genesis.tx)).toBeGreaterThanOrEqual(GENESIS_WORK_BITS);
    const store = new MemoryLedgerStore();
    const ledger = new Ledger(store, { genesisId: genesis.id, powUnit: 1n });
    const { outcomes } = await ledger.receive([genesis.bytes], GENESIS_TIME);
    expect(recordOf(outcomes[0]!).status).toBe('accepted');
    expect(await store.getBalance(owner.address)).toBe(10n ** 12n);
    // Spent without work, the first payment pays the genesis work as its fee (PROTOCOL §6).
    const spend = pay(owner, personNamed('friend'), 100, genesis.id, GENESIS_TIME + 1);
    const [decided] = (await ledger.receive([spend.bytes], GENESIS_TIME + 2)).outcomes;
    expect(recordOf(decided!).status).toBe('accepted');
    expect(recordOf(decided!).fee).toBe(BigInt(workOf(genesis.tx) - workOf(spend.tx)));
  });

  it('refuses a supply that is not a whole number of tokens from 1', () => {
    const owner = personNamed('creator');
    for (const tokens of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN]) {
      expect(() => makeGenesis(owner, tokens, GENESIS_TIME)).toThrow(
        expect.objectContaining({ name: 'GenesisError' }),
      );
    }
  });
});
