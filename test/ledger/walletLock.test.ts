// The wallet's passphrase lock (src/ledger/walletLock.ts) over a real core Ledger and the in-memory
// stores: sealed, nothing secret is stored in the clear; locked, balances still show and signing, the
// words and new accounts ask for the passphrase; a wrong passphrase changes nothing; change, remove,
// auto-lock, restore and the raising of an old envelope's iteration count.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import { keyPairOf } from '../../src/core/makeTx.ts';
import { LedgerService } from '../../src/ledger/ledgerService.ts';
import { WalletAccounts } from '../../src/ledger/walletAccounts.ts';
import { WalletLock } from '../../src/ledger/walletLock.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { MemoryWalletKeyStore } from '../../src/storage/walletKeyStore.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';

const ZERO_WORDS = `${'abandon '.repeat(23)}art`;
const ZERO_0 = 'ttx1hqfv6r57ewtqwv0qvxyfycd8t5muyspv3n7e6l3lqkhethqg8gzsxhjhte';
const COUNTING_WORDS =
  'abandon amount liar amount expire adjust cage candy arch gather drum bullet absurd math era live bid ' +
  'rhythm alien crouch range attend journey unaware';
const FAST = 1_000;
const PASS = 'correct horse battery';

const net = makeTestNetwork();

/** A clock the test moves by hand. */
function handClock(start = Date.now()) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

/** A new service on `keys`, as a page load makes: the lock starts with nothing unlocked. */
async function start(keys = new MemoryWalletKeyStore(), store = new MemoryLedgerStore(), iterations = FAST) {
  const time = handClock();
  const randomBytes = (length: number) => new Uint8Array(length);
  // The service signs through the lock, which is made after it (it drives the service's account).
  const holder: { lock?: WalletLock } = {};
  const service = new LedgerService({
    ledger: new Ledger(store, net.params),
    store,
    keys,
    network: net.params,
    clock: time.clock,
    randomBytes,
    requireUnlockedKey: (account) => holder.lock!.requireUnlockedKey(account),
  });
  const address = await service.open(net.genesis.bytes);
  const lock = new WalletLock(service, { keys, clock: time.clock, iterations });
  holder.lock = lock;
  const accounts = new WalletAccounts(service, { keys, clock: time.clock, randomBytes, store }, lock);
  return { service, accounts, lock, keys, store, address, time };
}

/** Everything the wallet database holds, as text. */
async function storedText(keys: MemoryWalletKeyStore): Promise<string> {
  return JSON.stringify({ accounts: await keys.accounts(), wallet: await keys.wallet() });
}

/** Funds account 0 and prepares a payment of 10 from it. */
async function fundedDraft(w: Awaited<ReturnType<typeof start>>) {
  await w.service.submit(pay(net.owner, { ...personNamed('x'), address: ZERO_0 }, 500, net.genesis.id).bytes);
  return w.service.preparePayment({ to: personNamed('bob').address, tokens: 10 });
}

describe('setting a passphrase', () => {
  it('seals the words and keys: no secret stays in the clear, and the wallet stays unlocked', async () => {
    const w = await start();
    const secrets = (await w.keys.accounts()).map((a) => a.secretKey);
    expect(await w.lock.status()).toEqual({ hasPassphrase: false, locked: false, autoLockMinutes: 15 });
    expect(await w.accounts.setPassphrase(PASS)).toEqual({
      hasPassphrase: true,
      locked: false,
      autoLockMinutes: 15,
    });
    const text = await storedText(w.keys);
    expect(text).not.toContain('abandon');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect((await w.keys.wallet())!.sealed).toMatchObject({ format: 1, iterations: FAST });
    expect(w.service.currentAccount().secretKey).toBe('');
    expect(await w.accounts.revealWords()).toEqual(ZERO_WORDS.split(' '));
    // An account added while sealed is stored without its key, and signs from the words.
    expect((await w.accounts.add()).accounts).toHaveLength(2);
    expect((await w.keys.accounts()).every((a) => a.secretKey === '')).toBe(true);
  });

  it('refuses a short passphrase, and a second "set" (that is a change)', async () => {
    const w = await start();
    await expect(w.accounts.setPassphrase('short')).rejects.toMatchObject({
      name: 'PassphraseError',
      message: 'a passphrase has at least 8 characters, got 5',
    });
    expect((await w.lock.status()).hasPassphrase).toBe(false);
    await w.accounts.setPassphrase(PASS);
    await expect(w.accounts.setPassphrase('another one')).rejects.toThrow('change it instead');
  });
});

describe('a locked wallet', () => {
  it('shows its balance, but signing, the words and new accounts ask for the passphrase', async () => {
    const first = await start();
    await first.accounts.setPassphrase(PASS);
    const w = await start(first.keys, first.store);
    expect(w.address).toBe(ZERO_0);
    expect(await w.lock.status()).toMatchObject({ hasPassphrase: true, locked: true });
    const draft = await fundedDraft(w);
    expect((await w.service.snapshot()).spendable).toBe('500');
    await expect(w.service.signPayment(draft.draftId, [null])).rejects.toMatchObject({
      name: 'WalletLockedError',
    });
    await expect(w.accounts.revealWords()).rejects.toMatchObject({ name: 'WalletLockedError' });
    await expect(w.accounts.add()).rejects.toMatchObject({ name: 'WalletLockedError' });
    // The draft waited for the unlock.
    expect(await w.lock.unlock(PASS)).toMatchObject({ locked: false });
    const [signed] = await w.service.signPayment(draft.draftId, [null]);
    expect(signed).toMatchObject({ status: 'accepted' });
    expect(await w.lock.lock()).toMatchObject({ hasPassphrase: true, locked: true });
    expect((await w.lock.status()).locked).toBe(true);
    await expect(w.accounts.revealWords()).rejects.toMatchObject({ name: 'WalletLockedError' });
  });

  it('says a wrong passphrase in words and changes nothing', async () => {
    const first = await start();
    await first.accounts.setPassphrase(PASS);
    const w = await start(first.keys, first.store);
    const before = await storedText(w.keys);
    await expect(w.lock.unlock('correct horse batter')).rejects.toMatchObject({
      name: 'WrongPassphraseError',
      message: 'That passphrase does not unlock this wallet.',
    });
    await expect(w.lock.changePassphrase('wrong passphrase', 'a new passphrase')).rejects.toMatchObject({
      name: 'WrongPassphraseError',
    });
    await expect(w.lock.removePassphrase('wrong passphrase')).rejects.toMatchObject({
      name: 'WrongPassphraseError',
    });
    expect(await storedText(w.keys)).toBe(before);
    expect((await w.lock.status()).locked).toBe(true);
    expect((await w.lock.unlock(PASS)).locked).toBe(false);
  });
});

describe('changing and removing the passphrase', () => {
  it('a change opens with the new passphrase only; a removal stores the words and keys as before', async () => {
    const w = await start();
    const plain = await storedText(w.keys);
    await w.accounts.setPassphrase(PASS);
    await w.lock.changePassphrase(PASS, 'a new passphrase');
    const again = await start(w.keys, w.store);
    await expect(again.lock.unlock(PASS)).rejects.toMatchObject({ name: 'WrongPassphraseError' });
    await again.lock.unlock('a new passphrase');
    expect(await again.lock.removePassphrase('a new passphrase')).toEqual({
      hasPassphrase: false,
      locked: false,
      autoLockMinutes: 15,
    });
    expect(await storedText(w.keys)).toBe(plain);
    expect(again.service.currentAccount().secretKey).not.toBe('');
  });

  it('keeps an imported (version 1) key through seal, unlock and removal', async () => {
    const keys = new MemoryWalletKeyStore();
    const old = personNamed('version-1');
    await keys.add({ label: 'Old', ...old, created: 1 });
    const w = await start(keys);
    expect(w.address).toBe(old.address);
    await w.accounts.setPassphrase(PASS);
    expect(await storedText(keys)).not.toContain(old.secretKey);
    const again = await start(keys, w.store);
    await again.lock.unlock(PASS);
    expect(keyPairOf(again.lock.requireUnlockedKey(again.service.currentAccount()))).toEqual(old);
    await again.lock.removePassphrase(PASS);
    expect((await keys.accounts())[0]!.secretKey).toBe(old.secretKey);
  });

  it('writes nothing when another tab added an account meanwhile', async () => {
    const w = await start();
    const record = (await w.keys.wallet())!;
    const rows = await w.keys.accounts();
    await w.keys.add({ ...rows[0]!, label: 'From another tab', index: 7 });
    const before = await storedText(w.keys);
    await expect(w.keys.sealWallet({ ...record, mnemonic: null }, rows)).rejects.toMatchObject({
      name: 'WalletChangedError',
    });
    expect(await storedText(w.keys)).toBe(before);
  });
});

describe('auto-lock', () => {
  it('locks after the chosen minutes without use; use postpones it; 0 never locks', async () => {
    const w = await start();
    await w.accounts.setPassphrase(PASS);
    w.time.advance(14 * 60_000);
    w.lock.noteUse();
    w.time.advance(14 * 60_000);
    expect((await w.lock.status()).locked).toBe(false);
    w.time.advance(60_000);
    expect((await w.lock.status()).locked).toBe(true);
    await w.lock.unlock(PASS);
    await expect(w.lock.setAutoLock(7)).rejects.toThrow('auto-lock is one of 1, 5, 15, 60, 240, 0 minutes');
    expect((await w.lock.setAutoLock(1)).autoLockMinutes).toBe(1);
    w.time.advance(60_000);
    await expect(w.accounts.revealWords()).rejects.toMatchObject({ name: 'WalletLockedError' });
    await w.lock.unlock(PASS);
    await w.lock.setAutoLock(0);
    w.time.advance(10 * 365 * 24 * 60 * 60_000);
    expect((await w.lock.status()).locked).toBe(false);
    // The choice is the wallet's: the next start reads it.
    expect((await (await start(w.keys, w.store)).lock.status()).autoLockMinutes).toBe(0);
  });
});

describe('restore and old envelopes', () => {
  it('a restore replaces a locked wallet, with a new passphrase or none', async () => {
    const first = await start();
    await first.accounts.setPassphrase(PASS);
    const w = await start(first.keys, first.store);
    await w.accounts.restore(COUNTING_WORDS, 'restored passphrase');
    expect(await w.lock.status()).toMatchObject({ hasPassphrase: true, locked: false });
    expect(await storedText(w.keys)).not.toContain('liar');
    expect(await w.accounts.revealWords()).toEqual(COUNTING_WORDS.split(' '));
    const again = await start(w.keys, w.store);
    await expect(again.lock.unlock(PASS)).rejects.toMatchObject({ name: 'WrongPassphraseError' });
    await again.lock.unlock('restored passphrase');
    await again.accounts.restore(ZERO_WORDS);
    expect(await again.lock.status()).toMatchObject({ hasPassphrase: false, locked: false });
    expect((await again.keys.wallet())!.mnemonic).toBe(ZERO_WORDS);
  });

  it('an envelope sealed with fewer iterations than today’s is sealed again with today’s on unlock', async () => {
    const old = await start(undefined, undefined, FAST);
    await old.accounts.setPassphrase(PASS);
    const now = await start(old.keys, old.store, 2 * FAST);
    await now.lock.unlock(PASS);
    expect((await now.keys.wallet())!.sealed!.iterations).toBe(2 * FAST);
    const later = await start(old.keys, old.store, 2 * FAST);
    expect((await later.lock.unlock(PASS)).locked).toBe(false);
  });
});
