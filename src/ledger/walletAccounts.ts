// The wallet's accounts, backup and restore, in the ledger worker (docs/wallet.md). Beside a
// LedgerService: it reads and writes the wallet database through the key store it is handed and makes
// the service sign with, and show, the active account. What it hands the page holds no secret key; the
// recovery words leave the worker only from `revealWords`, which the page calls when the person asks to
// see the backup.
import { checkRecoveryWords } from '../core/checkRecoveryWords.ts';
import {
  recoveryWordsOf,
  RECOVERY_ENTROPY_BYTES,
  RECOVERY_WORD_COUNT,
  seedOfRecoveryWords,
} from '../core/deriveAccountKey.ts';
import type { StoredAccount } from '../storage/walletKeyStore.ts';
import type { WalletRecord } from '../storage/walletRecord.ts';
import { derivedAccount } from './derivedAccount.ts';
import type { LedgerService, LedgerServiceParts } from './ledgerService.ts';
import type { LockStatus } from './lockSettings.ts';
import { WalletLock } from './walletLock.ts';
import { walletSetupOf, type WalletSetup } from './walletSetup.ts';

export const MAX_ACCOUNT_LABEL = 40;
/** How many word positions the backup check asks for. */
export const BACKUP_CHECK_WORDS = 3;
/**
 * A restore looks for used accounts the way BIP-44 wallets do: it derives accounts 0, 1, 2, … and stops
 * after this many unused ones in a row. "Used" means the ledger holds a record sent to or by it.
 */
export const RESTORE_GAP_LIMIT = 5;
/** At most this many accounts are derived and looked up by one restore, however many are used. */
export const RESTORE_MAX_ACCOUNTS = 100;

export class AccountError extends Error {
  override readonly name = 'AccountError';
}

export class RestoreError extends Error {
  override readonly name = 'RestoreError';
}

/** An account as the page sees it: no secret key. */
export interface AccountSummary {
  readonly id: number;
  readonly label: string;
  readonly address: string;
  /** Derivation index under the recovery words; null for an imported key the words do not cover. */
  readonly index: number | null;
}

export interface AccountList {
  readonly accounts: AccountSummary[];
  readonly activeId: number;
  /** The person confirmed a backup of the recovery words. */
  readonly backedUp: boolean;
}

export interface BackupAnswer {
  /** From 1 to 24. */
  readonly position: number;
  readonly word: string;
}

export type BackupCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/** What WalletAccounts needs besides the service: keys, clock, randomness, and the ledger (used accounts). */
export type WalletAccountsParts = Pick<LedgerServiceParts, 'keys' | 'clock' | 'randomBytes' | 'store'>;

/** The service's part that accounts drive: which account is active, and telling the page. */
type AccountHolder = Pick<LedgerService, 'currentAccount' | 'useAccount' | 'notifyChange'>;

export class WalletAccounts {
  /** The passphrase lock (src/ledger/walletLock.ts): the words of a sealed wallet come from it. */
  readonly lock: WalletLock;

  constructor(
    private readonly service: AccountHolder,
    private readonly parts: WalletAccountsParts,
    lock?: WalletLock,
  ) {
    this.lock = lock ?? new WalletLock(service, parts);
  }

  // Calls run one after another, with the lock's: two quick "Add account" presses must not derive the
  // same index, and no account is added while a passphrase seals the others.
  private run<T>(task: () => Promise<T>): Promise<T> {
    return this.lock.run(task);
  }

  private get keys() {
    return this.parts.keys;
  }

  list(): Promise<AccountList> {
    return this.run(() => this.listNow());
  }

  /** Derives the next account from the recovery words and makes it the active one. */
  add(label?: string): Promise<AccountList> {
    return this.run(async () => {
      const { wallet, words } = await this.walletWithWords();
      const stored = await this.keys.accounts();
      // nextIndex is written after the account; should a closed tab have lost that write, the
      // stored indexes still say which ones are taken.
      const index = Math.max(wallet.nextIndex, ...stored.map((a) => (a.index ?? -1) + 1));
      const seed = await seedOfRecoveryWords(words);
      const name = cleanLabel(label) ?? `Account ${stored.length + 1}`;
      const account = await this.keys.add(
        this.lock.storable(wallet, derivedAccount(seed, index, name, this.parts.clock())),
      );
      await this.keys.putWallet({ ...wallet, nextIndex: index + 1, activeId: account.id });
      this.service.useAccount(account);
      return this.listNow();
    });
  }

  rename(id: number, label: string): Promise<AccountList> {
    return this.run(async () => {
      const account = await this.find(id);
      const name = cleanLabel(label);
      if (name === undefined) throw new AccountError('an account name cannot be empty');
      const renamed = { ...account, label: name };
      await this.keys.update(renamed);
      if (this.service.currentAccount().id === id) this.service.useAccount(renamed);
      return this.listNow();
    });
  }

  /** Makes another account the active one, for this page and the next start. */
  switchTo(id: number): Promise<AccountList> {
    return this.run(async () => {
      const account = await this.find(id);
      const wallet = await this.keys.wallet();
      await this.keys.putWallet({ ...(wallet ?? emptyWallet()), activeId: account.id });
      this.service.useAccount(account);
      this.service.notifyChange();
      return this.listNow();
    });
  }

  /**
   * Whether the first-run screen is due and whether the words are backed up. A plain read, not queued
   * behind a restore or a passphrase derivation: the page asks it on every refresh.
   */
  async setup(): Promise<WalletSetup> {
    return walletSetupOf(await this.keys.wallet());
  }

  /**
   * The person chose "Create a new wallet" on the first-run screen: the wallet made at the first open is
   * theirs, and the screen is not shown again. (A restore ends the first run by replacing the record.)
   */
  keepNewWallet(): Promise<WalletSetup> {
    return this.run(async () => {
      const wallet = await this.keys.wallet();
      if (wallet?.firstRun !== true) return walletSetupOf(wallet);
      const kept = { ...wallet, firstRun: false };
      await this.keys.putWallet(kept);
      this.service.notifyChange();
      return walletSetupOf(kept);
    });
  }

  /** The 24 recovery words, in order. Only for the person who asked to see the backup. */
  revealWords(): Promise<string[]> {
    return this.run(async () => (await this.walletWithWords()).words.split(' '));
  }

  /** Checks words the person copied down at a few positions; if all match, the backup is done. */
  confirmBackup(answers: readonly BackupAnswer[]): Promise<BackupCheck> {
    return this.run(async () => {
      const { wallet, words: text } = await this.walletWithWords();
      const words = text.split(' ');
      const positions = new Set(answers.map((a) => a.position));
      if (positions.size < BACKUP_CHECK_WORDS || positions.size !== answers.length) {
        return { ok: false, problem: `answer ${BACKUP_CHECK_WORDS} different word positions` };
      }
      for (const { position, word } of answers) {
        if (!Number.isInteger(position) || position < 1 || position > RECOVERY_WORD_COUNT) {
          return {
            ok: false,
            problem: `a word position is from 1 to ${RECOVERY_WORD_COUNT}, got ${position}`,
          };
        }
        if (word.normalize('NFKD').trim().toLowerCase() !== words[position - 1]) {
          return { ok: false, problem: `word ${position} does not match: check what you wrote down` };
        }
      }
      await this.keys.putWallet({ ...wallet, backedUp: true });
      this.service.notifyChange();
      return { ok: true };
    });
  }

  /**
   * Replaces this browser's wallet with the one of `text` (24 words): every stored account and key is
   * deleted; the accounts of the words that this ledger shows in use (a record sent to or by them) are
   * added, up to the last used one, found the BIP-44 way (stop after RESTORE_GAP_LIMIT unused in a
   * row); account 0 is always added and becomes active. The page asks the person first. With a
   * `passphrase`, the new wallet is sealed with it in the same transaction (and left unlocked); without,
   * it has none, whatever the replaced wallet had.
   */
  restore(text: string, passphrase?: string): Promise<AccountList> {
    return this.run(async () => {
      const check = checkRecoveryWords(text);
      if (!check.ok) throw new RestoreError(check.problem);
      const seed = await seedOfRecoveryWords(check.words);
      const now = this.parts.clock();
      const found = [derivedAccount(seed, 0, 'Account 1', now), ...(await this.usedFrom(seed, 1, 1, now))];
      const sealed =
        passphrase === undefined ? undefined : await this.lock.sealWords(check.words, passphrase);
      const accounts = sealed ? found.map((account) => ({ ...account, secretKey: '' })) : found;
      // The person typed the words in: they have them written down, so the backup is done.
      const [first] = await this.keys.replaceWallet(
        sealed
          ? { mnemonic: null, sealed, nextIndex: accounts.length, backedUp: true }
          : { mnemonic: check.words, nextIndex: accounts.length, backedUp: true },
        accounts,
      );
      await this.lock.afterRestore(sealed ? check.words : null);
      this.service.useAccount(first!);
      this.service.notifyChange();
      return this.listNow();
    });
  }

  /**
   * Looks again, past the accounts this wallet has, for accounts of its recovery words that the ledger
   * shows in use (a restore made before this browser had the ledger finds fewer), and adds them up to
   * the last used one. The active account stays.
   */
  discover(): Promise<AccountList> {
    return this.run(async () => {
      const { wallet, words } = await this.walletWithWords();
      const stored = await this.keys.accounts();
      const from = Math.max(wallet.nextIndex, ...stored.map((a) => (a.index ?? -1) + 1));
      const seed = await seedOfRecoveryWords(words);
      const found = await this.usedFrom(seed, from, stored.length, this.parts.clock());
      for (const account of found) await this.keys.add(this.lock.storable(wallet, account));
      if (found.length > 0) {
        await this.keys.putWallet({ ...wallet, nextIndex: from + found.length });
        this.service.notifyChange();
      }
      return this.listNow();
    });
  }

  /**
   * The accounts from index `from` up to the last one the ledger shows in use, found BIP-44 style: the
   * search stops after RESTORE_GAP_LIMIT unused in a row, or at index RESTORE_MAX_ACCOUNTS. Empty when
   * none is used. Labels count on from `labelled` accounts the wallet already has.
   */
  private async usedFrom(
    seed: Uint8Array,
    from: number,
    labelled: number,
    now: number,
  ): Promise<Omit<StoredAccount, 'id'>[]> {
    const found: Omit<StoredAccount, 'id'>[] = [];
    let end = 0;
    for (let i = 0; i - end < RESTORE_GAP_LIMIT && from + i < RESTORE_MAX_ACCOUNTS; i++) {
      const account = derivedAccount(seed, from + i, `Account ${labelled + i + 1}`, now);
      found.push(account);
      if (await this.used(account)) end = i + 1;
    }
    return found.slice(0, end);
  }

  /** Whether the ledger holds any record sent to or by the account. */
  private async used(account: { address: string; publicKey: string }): Promise<boolean> {
    const { store } = this.parts;
    return (
      (await store.sentTo(account.address)).length > 0 || (await store.sentBy(account.publicKey)).length > 0
    );
  }

  private async listNow(): Promise<AccountList> {
    const stored = await this.keys.accounts();
    const wallet = await this.keys.wallet();
    return {
      accounts: stored.map(summaryOf),
      activeId: this.service.currentAccount().id,
      backedUp: wallet?.backedUp ?? false,
    };
  }

  private async find(id: number): Promise<StoredAccount> {
    const account = (await this.keys.accounts()).find((a) => a.id === id);
    if (!account) throw new AccountError(`there is no account ${id} in this wallet`);
    return account;
  }

  /** Seals the wallet's words and keys with a first passphrase (src/ledger/walletLock.ts). */
  setPassphrase(passphrase: string): Promise<LockStatus> {
    return this.run(async () => {
      const { wallet, words } = await this.walletWithWords();
      return this.lock.setPassphraseNow(wallet, words, passphrase);
    });
  }

  /**
   * The wallet record as stored, and its recovery words: from the lock when a passphrase seals them
   * (WalletLockedError while locked). A wallet from schema version 1 has only imported keys and no
   * words: they are made here, the first time they are needed.
   */
  private async walletWithWords(): Promise<{ wallet: WalletRecord; words: string }> {
    const wallet = (await this.keys.wallet()) ?? emptyWallet();
    const words = this.lock.wordsOf(wallet);
    if (words !== null) return { wallet, words };
    const mnemonic = recoveryWordsOf(this.parts.randomBytes(RECOVERY_ENTROPY_BYTES));
    const made = { ...wallet, mnemonic, backedUp: false, activeId: this.service.currentAccount().id };
    await this.keys.putWallet(made);
    return { wallet: made, words: mnemonic };
  }
}

function emptyWallet(): WalletRecord {
  return { mnemonic: null, nextIndex: 0, activeId: null, backedUp: false };
}

function summaryOf(account: StoredAccount): AccountSummary {
  return { id: account.id, label: account.label, address: account.address, index: account.index ?? null };
}

function cleanLabel(label: string | undefined): string | undefined {
  const trimmed = label?.trim() ?? '';
  if (trimmed === '') return undefined;
  if (trimmed.length > MAX_ACCOUNT_LABEL) {
    throw new AccountError(
      `an account name is at most ${MAX_ACCOUNT_LABEL} characters, got ${trimmed.length}`,
    );
  }
  return trimmed;
}
