// The wallet's passphrase lock, in the ledger worker ("Keys at rest", docs/architecture.md).
//
// State, per worker (per tab):
// - The wallet record either holds its recovery words (`mnemonic`, no passphrase) or holds them sealed
//   (`sealed`, src/ledger/keyEnvelope.ts) with the imported keys; sealed, no account row keeps a secret
//   key: derived accounts get theirs again from the words, imported ones from the envelope.
// - A sealed wallet is LOCKED until `unlock(passphrase)` opens the envelope; then the words, their seed
//   and the imported keys are held in this object only (never in the page, never written), and dropped
//   by `lock()`, by a restore, or after `autoLockMinutes` without use (the page reports use: input in the
//   page, and every signature counts).
// - Locked, the wallet still shows balances and history (public data); what needs a secret (signing,
//   showing or adding from the words) throws WalletLockedError, which the page answers with its unlock
//   prompt.
// - Every change of the record and keys (set, change, remove the passphrase) is one IndexedDB
//   transaction (`WalletKeyStore.sealWallet`), written only after the new envelope was opened again and
//   gave back exactly what was sealed; a wrong passphrase writes nothing.
// - Calls that write the wallet database run one at a time (`run`), with WalletAccounts' calls.
import { accountSecretOf, seedOfRecoveryWords } from '../core/deriveAccountKey.ts';
import { publicKeyOf } from '../core/ed25519.ts';
import { bytesToHex, hexToBytes } from '../core/hex.ts';
import { decodeUtf8Strict, encodeUtf8 } from '../core/utf8.ts';
import type { StoredAccount, WalletKeyStore } from '../storage/walletKeyStore.ts';
import type { WalletRecord } from '../storage/walletRecord.ts';
import {
  EnvelopeDamagedError,
  openEnvelope,
  parseEnvelope,
  PASSPHRASE_ITERATIONS,
  sealEnvelope,
  type KeyEnvelope,
} from './keyEnvelope.ts';
import type { LedgerService } from './ledgerService.ts';
import {
  AUTO_LOCK_DEFAULT_MINUTES,
  autoLockProblem,
  passphraseProblem,
  type LockStatus,
} from './lockSettings.ts';

/** Signing or the recovery words were asked for while the wallet is locked. */
export class WalletLockedError extends Error {
  override readonly name = 'WalletLockedError';
  constructor() {
    super('the wallet is locked: unlock it with its passphrase first');
  }
}

/** A passphrase change that cannot be made as asked (a too-short passphrase, no passphrase to change). */
export class PassphraseError extends Error {
  override readonly name = 'PassphraseError';
}

/** What a passphrase seals: the recovery words and the imported secret keys by public key (hex). */
interface SealedSecrets {
  readonly words: string;
  readonly imported: Readonly<Record<string, string>>;
}

interface Unlocked extends SealedSecrets {
  readonly seed: Uint8Array;
}

export interface WalletLockParts {
  readonly keys: WalletKeyStore;
  readonly clock: () => number;
  /** PBKDF2 iterations for new envelopes; tests lower it. Envelopes with fewer are raised on unlock. */
  readonly iterations?: number;
}

/** The service's part the lock drives: the active account (stripped or given its key) and telling the page. */
type AccountHolder = Pick<LedgerService, 'currentAccount' | 'useAccount' | 'notifyChange'>;

export class WalletLock {
  private queue: Promise<unknown> = Promise.resolve();
  private unlocked: Unlocked | undefined;
  private lastUse: number;
  private autoLockMinutes = AUTO_LOCK_DEFAULT_MINUTES;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly service: AccountHolder,
    private readonly parts: WalletLockParts,
  ) {
    this.lastUse = parts.clock();
  }

  private get iterations(): number {
    return this.parts.iterations ?? PASSPHRASE_ITERATIONS;
  }

  /** Runs wallet-database writes one after another (shared with WalletAccounts). */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async status(): Promise<LockStatus> {
    const record = await this.parts.keys.wallet();
    this.autoLockMinutes = record?.autoLockMinutes ?? AUTO_LOCK_DEFAULT_MINUTES;
    this.lockIfIdle();
    const hasPassphrase = record?.sealed !== undefined;
    return { hasPassphrase, locked: hasPassphrase && !this.unlocked, autoLockMinutes: this.autoLockMinutes };
  }

  /** The person used the page (or the wallet signed): the auto-lock counts from now. */
  noteUse(): void {
    this.lockIfIdle();
    this.lastUse = this.parts.clock();
  }

  /** Locks if unlocked and unused for the auto-lock time; says whether it locked now. */
  lockIfIdle(): boolean {
    if (!this.unlocked || this.autoLockMinutes === 0) return false;
    if (this.parts.clock() - this.lastUse < this.autoLockMinutes * 60_000) return false;
    this.drop();
    return true;
  }

  /** Drops the secrets from memory; the page shows the wallet locked. */
  lock(): Promise<LockStatus> {
    this.drop();
    this.service.notifyChange();
    return this.status();
  }

  /** Opens the sealed secrets with `passphrase` and keeps them in this worker until locked. */
  unlock(passphrase: string): Promise<LockStatus> {
    return this.run(async () => {
      const record = await this.parts.keys.wallet();
      if (record?.sealed === undefined) return this.status();
      const secrets = await openSecrets(record.sealed, passphrase);
      this.autoLockMinutes = record.autoLockMinutes ?? AUTO_LOCK_DEFAULT_MINUTES;
      await this.keep(secrets);
      // The envelope's own count was used to open it; one sealed with fewer than today's gets today's.
      // Best effort: should another tab have changed the wallet meanwhile, the next unlock does it.
      if (parseEnvelope(record.sealed).iterations < this.iterations) {
        await this.writeSealed(record, await this.parts.keys.accounts(), secrets, passphrase).catch(
          () => undefined,
        );
      }
      this.service.notifyChange();
      return this.status();
    });
  }

  /**
   * Seals an unlocked wallet with a first passphrase: its words (`words`, which WalletAccounts makes for
   * a version 1 wallet) and imported keys go into the envelope and out of every row. Call inside `run`.
   */
  async setPassphraseNow(record: WalletRecord, words: string, passphrase: string): Promise<LockStatus> {
    checkNewPassphrase(passphrase);
    if (record.sealed !== undefined) {
      throw new PassphraseError('the wallet already has a passphrase: change it instead');
    }
    const accounts = await this.parts.keys.accounts();
    const imported: Record<string, string> = {};
    for (const account of accounts) {
      if (account.index === undefined) imported[account.publicKey] = account.secretKey;
    }
    const secrets = { words, imported };
    await this.writeSealed(record, accounts, secrets, passphrase);
    await this.keep(secrets);
    this.service.notifyChange();
    return this.status();
  }

  /** A new passphrase for a sealed wallet; the current one is asked again, whether unlocked or not. */
  changePassphrase(current: string, next: string): Promise<LockStatus> {
    return this.run(async () => {
      checkNewPassphrase(next);
      const record = await this.sealedRecord();
      const secrets = await openSecrets(record.sealed!, current);
      await this.writeSealed(record, await this.parts.keys.accounts(), secrets, next);
      await this.keep(secrets);
      this.service.notifyChange();
      return this.status();
    });
  }

  /** Unseals the wallet for good: the words and keys are stored as before passphrases existed. */
  removePassphrase(current: string): Promise<LockStatus> {
    return this.run(async () => {
      const record = await this.sealedRecord();
      const secrets = await this.withSeed(await openSecrets(record.sealed!, current));
      const accounts = (await this.parts.keys.accounts()).map((account) => ({
        ...account,
        secretKey: bytesToHex(secretOf(account, secrets)),
      }));
      const { sealed: _sealed, ...rest } = record;
      await this.parts.keys.sealWallet({ ...rest, mnemonic: secrets.words }, accounts);
      this.drop();
      const active = accounts.find((a) => a.id === this.service.currentAccount().id);
      if (active) this.service.useAccount(active);
      this.service.notifyChange();
      return this.status();
    });
  }

  /** Chooses the auto-lock time (one of AUTO_LOCK_CHOICES; 0: never). */
  setAutoLock(minutes: number): Promise<LockStatus> {
    return this.run(async () => {
      const problem = autoLockProblem(minutes);
      if (problem !== undefined) throw new PassphraseError(problem);
      const record = await this.parts.keys.wallet();
      if (record) await this.parts.keys.putWallet({ ...record, autoLockMinutes: minutes });
      this.autoLockMinutes = minutes;
      this.noteUse();
      this.schedule();
      this.service.notifyChange();
      return this.status();
    });
  }

  /**
   * The recovery words of `record`: its own when it has no passphrase, else those unlocked here; throws
   * WalletLockedError when it is locked.
   */
  wordsOf(record: WalletRecord): string | null {
    if (record.sealed === undefined) return record.mnemonic;
    this.lockIfIdle();
    if (!this.unlocked) throw new WalletLockedError();
    this.noteUse();
    return this.unlocked.words;
  }

  /** The account as a sealed wallet stores it: no secret key. Unchanged when `record` has no passphrase. */
  storable<T extends { secretKey: string }>(record: WalletRecord, account: T): T {
    return record.sealed === undefined ? account : { ...account, secretKey: '' };
  }

  /**
   * The secret key to sign with for `account`. Throws WalletLockedError when the wallet is locked. The
   * one call the signing path makes (LedgerService.signPayment, createNetwork).
   */
  requireUnlockedKey(account: StoredAccount): Uint8Array {
    if (account.secretKey !== '') return hexToBytes(account.secretKey);
    this.lockIfIdle();
    if (!this.unlocked) throw new WalletLockedError();
    this.noteUse();
    return secretOf(account, this.unlocked);
  }

  /**
   * For a restore that sets a passphrase: the envelope of the new words, opened again before it is
   * returned. The caller writes it with the accounts in one transaction, then calls `keepWords`.
   */
  async sealWords(words: string, passphrase: string): Promise<KeyEnvelope> {
    checkNewPassphrase(passphrase);
    return this.sealChecked({ words, imported: {} }, passphrase);
  }

  /** After a restore: the new wallet's words are unlocked (sealed) or nothing is held (no passphrase). */
  async afterRestore(words: string | null): Promise<void> {
    this.drop();
    if (words !== null) {
      await this.keep({ words, imported: {} });
    }
  }

  private async sealedRecord(): Promise<WalletRecord> {
    const record = await this.parts.keys.wallet();
    if (record?.sealed === undefined) throw new PassphraseError('the wallet has no passphrase');
    return record;
  }

  /** Seals `secrets` under `passphrase`, opens the envelope again, and writes record and rows at once. */
  private async writeSealed(
    record: WalletRecord,
    accounts: readonly StoredAccount[],
    secrets: SealedSecrets,
    passphrase: string,
  ): Promise<void> {
    const sealed = await this.sealChecked(secrets, passphrase);
    await this.parts.keys.sealWallet(
      { ...record, mnemonic: null, sealed },
      accounts.map((account) => ({ ...account, secretKey: '' })),
    );
    const active = this.service.currentAccount();
    if (active.secretKey !== '') this.service.useAccount({ ...active, secretKey: '' });
  }

  /** An envelope of `secrets` that was opened again with `passphrase` and gave back the same bytes. */
  private async sealChecked(secrets: SealedSecrets, passphrase: string): Promise<KeyEnvelope> {
    const bytes = encodeUtf8(JSON.stringify(secrets));
    const sealed = await sealEnvelope(bytes, passphrase, this.iterations);
    const again = await openEnvelope(sealed, passphrase);
    if (bytesToHex(again) !== bytesToHex(bytes)) {
      throw new PassphraseError('the sealed wallet did not open to what was sealed; nothing was changed');
    }
    return sealed;
  }

  private async withSeed(secrets: SealedSecrets): Promise<Unlocked> {
    return { ...secrets, seed: await seedOfRecoveryWords(secrets.words) };
  }

  private async keep(secrets: SealedSecrets): Promise<void> {
    this.unlocked = await this.withSeed(secrets);
    this.lastUse = this.parts.clock();
    this.schedule();
  }

  private drop(): void {
    // The seed's bytes can be wiped; strings (the words) can only be let go.
    this.unlocked?.seed.fill(0);
    this.unlocked = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Wakes when the auto-lock time would run out; locks if nothing used the wallet meanwhile. */
  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.unlocked || this.autoLockMinutes === 0) return;
    const wait = this.lastUse + this.autoLockMinutes * 60_000 - this.parts.clock();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.lockIfIdle()) this.service.notifyChange();
        else this.schedule();
      },
      Math.max(wait, 1000),
    );
  }
}

async function openSecrets(envelope: KeyEnvelope, passphrase: string): Promise<SealedSecrets> {
  const text = decodeUtf8Strict(await openEnvelope(envelope, passphrase));
  let value: Partial<SealedSecrets> | null = null;
  try {
    value = text === undefined ? null : (JSON.parse(text) as Partial<SealedSecrets>);
  } catch {
    value = null;
  }
  if (typeof value?.words !== 'string' || typeof value.imported !== 'object' || value.imported === null) {
    throw new EnvelopeDamagedError('the sealed secrets are not in the expected form');
  }
  return { words: value.words, imported: value.imported };
}

/** The secret key of `account` from unlocked secrets, checked against its public key. */
function secretOf(account: StoredAccount, secrets: Unlocked): Uint8Array {
  const hex = account.index === undefined ? secrets.imported[account.publicKey] : undefined;
  const secret =
    account.index !== undefined
      ? accountSecretOf(secrets.seed, account.index)
      : hex
        ? hexToBytes(hex)
        : undefined;
  if (!secret || bytesToHex(publicKeyOf(secret)) !== account.publicKey) {
    throw new PassphraseError(
      `the unlocked words do not make the key of "${account.label}"; restore the wallet from its recovery words`,
    );
  }
  return secret;
}

function checkNewPassphrase(passphrase: string): void {
  const problem = passphraseProblem(passphrase);
  if (problem !== undefined) throw new PassphraseError(problem);
}
