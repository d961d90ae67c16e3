// Accounts, backup and restore in the ledger worker's service (src/ledger/walletAccounts.ts), over a
// real core Ledger with the in-memory stores: the first start makes recovery words and account 0, the
// active account persists, the page never gets a secret key, and a restore replaces the wallet.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import { LedgerService } from '../../src/ledger/ledgerService.ts';
import { seedOfRecoveryWords } from '../../src/core/deriveAccountKey.ts';
import { derivedAccount } from '../../src/ledger/derivedAccount.ts';
import { RESTORE_GAP_LIMIT, WalletAccounts } from '../../src/ledger/walletAccounts.ts';
import { backupReminderDue, walletSetupOf } from '../../src/ledger/walletSetup.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { MemoryWalletKeyStore } from '../../src/storage/walletKeyStore.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';

const ZERO_WORDS = `${'abandon '.repeat(23)}art`;
// Accounts 0 and 1 of ZERO_WORDS (test/core/deriveAccountKey.test.ts).
const ZERO_0 = 'ttx1hqfv6r57ewtqwv0qvxyfycd8t5muyspv3n7e6l3lqkhethqg8gzsxhjhte';
const ZERO_1 = 'ttx12s6ne946g7d8d6kffzn7wffz53y9a9822zs39s59z6fummtu44aqjlcaxf';
const COUNTING_WORDS =
  'abandon amount liar amount expire adjust cage candy arch gather drum bullet absurd math era live bid ' +
  'rhythm alien crouch range attend journey unaware';
const COUNTING_0 = 'ttx13djxpsj30989yxhrevc8dnm5udzzkl0g36p6g24246mr4jyurecsxv948t';

const net = makeTestNetwork();

async function startService(keys = new MemoryWalletKeyStore(), store = new MemoryLedgerStore()) {
  const clock = () => Date.now();
  // Zero "randomness": the words are the BIP39 vector for 32 zero bytes, so addresses are known.
  const randomBytes = (length: number) => new Uint8Array(length);
  const service = new LedgerService({
    ledger: new Ledger(store, net.params),
    store,
    keys,
    network: net.params,
    clock,
    randomBytes,
  });
  const address = await service.open(net.genesis.bytes);
  return {
    service,
    address,
    keys,
    store,
    accounts: new WalletAccounts(service, { keys, clock, randomBytes, store }),
  };
}

describe('a new wallet', () => {
  it('gets 24 recovery words and account 0 derived from them, not backed up', async () => {
    const { address, accounts } = await startService();
    expect(address).toBe(ZERO_0);
    expect(await accounts.revealWords()).toEqual(ZERO_WORDS.split(' '));
    expect(await accounts.list()).toEqual({
      accounts: [{ id: 1, label: 'Account 1', address: ZERO_0, index: 0 }],
      activeId: 1,
      backedUp: false,
    });
  });

  it('adds the next account, switches to it and back, and the next start opens the active one', async () => {
    const { service, keys, store, accounts } = await startService();
    const changes: number[] = [];
    service.onChange(() => changes.push(1));
    const added = await accounts.add('  Savings ');
    expect(added.accounts.map((a) => [a.label, a.address, a.index])).toEqual([
      ['Account 1', ZERO_0, 0],
      ['Savings', ZERO_1, 1],
    ]);
    expect(added.activeId).toBe(2);
    expect((await service.snapshot()).address).toBe(ZERO_1);
    expect((await startService(keys, store)).address).toBe(ZERO_1);

    const before = changes.length;
    expect((await accounts.switchTo(1)).activeId).toBe(1);
    expect(changes.length).toBeGreaterThan(before);
    expect((await service.snapshot()).address).toBe(ZERO_0);
    expect((await startService(keys, store)).address).toBe(ZERO_0);

    expect((await accounts.add()).accounts.at(-1)).toMatchObject({ label: 'Account 3', index: 2 });
  });

  it('renames an account and refuses unknown ids and empty or long names', async () => {
    const { accounts } = await startService();
    expect((await accounts.rename(1, 'Daily')).accounts[0]!.label).toBe('Daily');
    await expect(accounts.rename(1, '   ')).rejects.toMatchObject({ name: 'AccountError' });
    await expect(accounts.rename(1, 'x'.repeat(41))).rejects.toThrow('at most 40 characters, got 41');
    await expect(accounts.switchTo(99)).rejects.toThrow('there is no account 99 in this wallet');
  });

  it('never hands the page a secret key', async () => {
    const { accounts, keys } = await startService();
    await accounts.add();
    const text = JSON.stringify(await accounts.list());
    for (const account of await keys.accounts()) expect(text).not.toContain(account.secretKey);
  });
});

describe('the backup check', () => {
  it('marks the backup done only when three different positions match', async () => {
    const { accounts } = await startService();
    const words = await accounts.revealWords();
    const answer = (position: number, word = words[position - 1]!) => ({ position, word });
    expect(await accounts.confirmBackup([answer(2), answer(9)])).toEqual({
      ok: false,
      problem: 'answer 3 different word positions',
    });
    expect(await accounts.confirmBackup([answer(2), answer(2), answer(9)])).toMatchObject({ ok: false });
    expect(await accounts.confirmBackup([answer(2), answer(9, 'zoo'), answer(24)])).toEqual({
      ok: false,
      problem: 'word 9 does not match: check what you wrote down',
    });
    expect((await accounts.list()).backedUp).toBe(false);
    expect(await accounts.confirmBackup([answer(2), answer(9), answer(24, ' ART ')])).toEqual({ ok: true });
    expect((await accounts.list()).backedUp).toBe(true);
  });
});

describe('restore from words', () => {
  it('refuses bad words with the reason and keeps the wallet', async () => {
    const { accounts } = await startService();
    const typo = COUNTING_WORDS.replace('liar', 'lier');
    await expect(accounts.restore(typo)).rejects.toMatchObject({
      name: 'RestoreError',
      message: 'word 3 ("lier") is not in the BIP39 word list; did you mean "liar"?',
    });
    await expect(accounts.restore(COUNTING_WORDS.replace('bid', 'art'))).rejects.toThrow(
      'the checksum does not match: a word is wrong or out of order',
    );
    await expect(accounts.restore('abandon abandon')).rejects.toThrow('24 words are needed, got 2');
    expect((await accounts.list()).accounts.map((a) => a.address)).toEqual([ZERO_0]);
  });

  it('replaces every account with account 0 of the words, active, with its balance', async () => {
    const { service, keys, store, accounts } = await startService();
    await accounts.add();
    const payment = pay(net.owner, { ...personNamed('x'), address: COUNTING_0 }, 777, net.genesis.id);
    await service.submit(payment.bytes);
    const restored = await accounts.restore(COUNTING_WORDS.toUpperCase());
    expect(restored.accounts).toEqual([
      { id: restored.activeId, label: 'Account 1', address: COUNTING_0, index: 0 },
    ]);
    expect(restored.backedUp).toBe(true);
    expect(await accounts.revealWords()).toEqual(COUNTING_WORDS.split(' '));
    const snapshot = await service.snapshot();
    // 777 and whatever its proof of work minted.
    expect(BigInt(snapshot.spendable)).toBeGreaterThanOrEqual(777n);
    expect([snapshot.address, snapshot.spendable]).toEqual([
      COUNTING_0,
      (await store.getBalance(COUNTING_0)).toString(),
    ]);
    expect((await startService(keys, store)).address).toBe(COUNTING_0);
    // The next account comes from the restored words: index 1.
    expect((await accounts.add()).accounts[1]!.index).toBe(1);
  });
});

describe('restore finds the used accounts (BIP-44 gap limit)', () => {
  /** The address of account `index` of COUNTING_WORDS. */
  async function countingAddress(index: number): Promise<string> {
    return derivedAccount(await seedOfRecoveryWords(COUNTING_WORDS), index, '', 0).address;
  }

  it('adds every account up to the last used one, and stops after a run of unused ones', async () => {
    const { service, accounts } = await startService();
    // Used: 2, then 2 + RESTORE_GAP_LIMIT (a run of GAP − 1 unused between: still found), then one
    // more after a run of GAP unused (not looked at).
    const lastFound = 2 + RESTORE_GAP_LIMIT;
    const beyond = lastFound + RESTORE_GAP_LIMIT + 1;
    for (const index of [2, lastFound, beyond]) {
      const to = { ...personNamed('x'), address: await countingAddress(index) };
      await service.submit(pay(net.owner, to, 10 + index, net.genesis.id).bytes);
    }
    const restored = await accounts.restore(COUNTING_WORDS);
    expect(restored.accounts.map((a) => a.index)).toEqual([...Array(lastFound + 1).keys()]);
    expect(restored.accounts[0]!.address).toBe(COUNTING_0);
    expect(restored.accounts[lastFound]).toMatchObject({
      address: await countingAddress(lastFound),
      label: `Account ${lastFound + 1}`,
    });
    expect(restored.activeId).toBe(restored.accounts[0]!.id);
    // The next account added continues after the ones found.
    expect((await accounts.add()).accounts.at(-1)!.index).toBe(lastFound + 1);
  });

  it('looks again later: accounts used since (or whose records arrived since) are added, the active one stays', async () => {
    const { service, accounts } = await startService();
    const restored = await accounts.restore(COUNTING_WORDS);
    expect(restored.accounts).toHaveLength(1);
    expect((await accounts.discover()).accounts).toHaveLength(1); // nothing new: nothing added
    // The ledger now shows account 3 in use (a run of 2 unused before it).
    const to = { ...personNamed('x'), address: await countingAddress(3) };
    await service.submit(pay(net.owner, to, 5, net.genesis.id).bytes);
    const found = await accounts.discover();
    expect(found.accounts.map((a) => [a.index, a.label])).toEqual([
      [0, 'Account 1'],
      [1, 'Account 2'],
      [2, 'Account 3'],
      [3, 'Account 4'],
    ]);
    expect(found.activeId).toBe(restored.activeId);
    expect((await accounts.add()).accounts.at(-1)!.index).toBe(4);
  });

  it('with no used account, restores account 0 only', async () => {
    const { accounts } = await startService();
    const restored = await accounts.restore(COUNTING_WORDS);
    expect(restored.accounts.map((a) => a.address)).toEqual([COUNTING_0]);
  });
});

describe('the first run (src/ledger/walletSetup.ts)', () => {
  it('marks the wallet made at the first open as new until the person keeps it, across restarts', async () => {
    const first = await startService();
    expect(await first.accounts.setup()).toEqual({ firstRun: true, backedUp: false });
    expect(backupReminderDue(await first.accounts.setup())).toBe(false); // the first-run screen says it
    // A restart before the person chose: the same wallet, still new (its words were never shown).
    const again = await startService(first.keys, first.store);
    expect(again.address).toBe(first.address);
    expect(await again.accounts.setup()).toEqual({ firstRun: true, backedUp: false });
    expect(await again.accounts.keepNewWallet()).toEqual({ firstRun: false, backedUp: false });
    const kept = await startService(first.keys, first.store);
    expect(kept.address).toBe(first.address);
    expect(await kept.accounts.setup()).toEqual({ firstRun: false, backedUp: false });
    expect(backupReminderDue(await kept.accounts.setup())).toBe(true);
    // Keeping twice (two tabs) changes nothing more.
    expect(await kept.accounts.keepNewWallet()).toEqual({ firstRun: false, backedUp: false });
  });

  it('ends with the backup confirmed: no reminder', async () => {
    const { accounts } = await startService();
    await accounts.keepNewWallet();
    const words = await accounts.revealWords();
    const answers = [3, 11, 20].map((position) => ({ position, word: words[position - 1]! }));
    expect(await accounts.confirmBackup(answers)).toEqual({ ok: true });
    expect(await accounts.setup()).toEqual({ firstRun: false, backedUp: true });
    expect(backupReminderDue(await accounts.setup())).toBe(false);
  });

  it('a passphrase set before keeping leaves the wallet new until kept', async () => {
    const { accounts } = await startService();
    await accounts.setPassphrase('a long enough passphrase');
    expect(await accounts.setup()).toEqual({ firstRun: true, backedUp: false });
    expect((await accounts.keepNewWallet()).firstRun).toBe(false);
    expect((await accounts.lock.status()).hasPassphrase).toBe(true);
  });

  it('a restore replaces the new wallet: not new, backed up', async () => {
    const { accounts } = await startService();
    const restored = await accounts.restore(COUNTING_WORDS);
    expect(restored.accounts.map((a) => a.address)).toEqual([COUNTING_0]);
    expect(await accounts.setup()).toEqual({ firstRun: false, backedUp: true });
  });

  it('a wallet stored before the first-run screen existed is not new', () => {
    const record = { mnemonic: ZERO_WORDS, nextIndex: 1, activeId: 1, backedUp: false };
    expect(walletSetupOf(record)).toEqual({ firstRun: false, backedUp: false });
    expect(walletSetupOf(undefined)).toEqual({ firstRun: false, backedUp: false });
    expect(backupReminderDue(walletSetupOf(record))).toBe(true);
    expect(backupReminderDue(null)).toBe(false);
  });
});

describe('a wallet from schema version 1', () => {
  it('keeps its random key as an imported account and makes words when first needed', async () => {
    const keys = new MemoryWalletKeyStore();
    const old = personNamed('old-wallet');
    await keys.add({ label: 'Account 1', ...old, created: 1 });
    const { address, accounts } = await startService(keys);
    expect(address).toBe(old.address);
    expect((await accounts.list()).accounts).toEqual([
      { id: 1, label: 'Account 1', address: old.address, index: null },
    ]);
    const added = await accounts.add();
    expect(added.accounts[1]).toMatchObject({ address: ZERO_0, index: 0, label: 'Account 2' });
    expect(await accounts.revealWords()).toEqual(ZERO_WORDS.split(' '));
    expect((await accounts.switchTo(1)).activeId).toBe(1);
  });
});

describe('switching with a payment prepared', () => {
  it('forgets the previous account’s prepared payment instead of signing it with the new key', async () => {
    const { service, accounts } = await startService();
    await service.submit(pay(net.owner, { ...personNamed('x'), address: ZERO_0 }, 500, net.genesis.id).bytes);
    const draft = await service.preparePayment({ to: COUNTING_0, tokens: 10 });
    await accounts.add();
    await expect(service.signPayment(draft.draftId, [null])).rejects.toThrow(
      'this payment was already sent or cancelled',
    );
  });
});

describe('a prepared payment', () => {
  it('says what each cost choice costs, as PROTOCOL §6 computes it, so the page recomputes nothing', async () => {
    const { service } = await startService();
    await service.submit(pay(net.owner, { ...personNamed('x'), address: ZERO_0 }, 500, net.genesis.id).bytes);
    const draft = await service.preparePayment({ to: COUNTING_0, tokens: 10 });
    const unit = BigInt(draft.powUnit);
    for (const part of draft.parts) {
      // fee = max(base − work, 0) × powUnit for the unmined part (PROTOCOL §6).
      expect(BigInt(part.feeWithoutWork)).toBe(
        BigInt(Math.max(part.baseBits - part.workWithoutMining, 0)) * unit,
      );
    }
    expect(BigInt(draft.costs.feeWithoutWork)).toBe(
      draft.parts.reduce((sum, part) => sum + BigInt(part.feeWithoutWork), 0n),
    );
    expect(BigInt(draft.costs.mintPerExtraBit)).toBe(BigInt(draft.parts.length) * unit);
  });
});
