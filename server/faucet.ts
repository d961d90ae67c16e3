// The devnet faucet: pays from the genesis output straight to an address, signed with the genesis key.
// Each payment is mined to the branch base, so it pays no fee and costs exactly its tokens (PROTOCOL §6);
// the faucet keeps its own account of what is left of the genesis output, persisted before a payment is
// handed out, so a restart never pays twice from the same tokens (which the ledger would call a
// conflict, PROTOCOL §5.13). The server does not publish payments: the browser that asked does.
import { join } from 'node:path';
import { checkAddress } from '../src/core/address.ts';
import type { EncodedTx } from '../src/core/makeTx.ts';
import { branchBase, mintAndFee, workOf } from '../src/core/work.ts';
import { DataFileError } from './dataFileError.ts';
import { DebouncedWriter } from './debouncedWriter.ts';
import type { Devnet } from './devnet.ts';
import { mineAndSign } from './mineAndSign.ts';
import { readJsonFile } from './readJsonFile.ts';

export const FAUCET_FILE = 'faucet.json';

interface FaucetAccountJson {
  readonly version: 1;
  readonly genesisId: string;
  /** What is left of the genesis output, a decimal string (bigint). */
  readonly left: string;
  readonly payments: number;
  /** Time of the latest payment, so that two payments never share every field (and so their id). */
  readonly lastTime: number;
}

export type FaucetPayment =
  | { readonly ok: true; readonly payment: EncodedTx; readonly cost: bigint; readonly left: bigint }
  | { readonly ok: false; readonly problem: 'empty'; readonly error: string };

export class Faucet {
  private readonly writer: DebouncedWriter;
  /** Work base of every payment: its only ancestor is the genesis (PROTOCOL §6, k = 1). */
  private readonly base: number;

  private constructor(
    private readonly devnet: Devnet,
    readonly path: string,
    private left: bigint,
    private payments: number,
    private lastTime: number,
  ) {
    this.base = branchBase([workOf(devnet.genesis.tx)]);
    this.writer = new DebouncedWriter({
      path,
      render: () => JSON.stringify(this.toJSON()),
      delayMs: 0,
      onError: () => undefined, // pay() awaits every write and reports its failure itself
    });
  }

  static async open(devnet: Devnet): Promise<Faucet> {
    const path = join(devnet.dataDir, FAUCET_FILE);
    const json = (await readJsonFile(path)) as Partial<FaucetAccountJson> | undefined;
    const genesisValue = BigInt(devnet.genesis.tx.tokens);
    // An account of another genesis (the genesis was made anew) says nothing about this one.
    if (json === undefined || json.genesisId !== devnet.genesis.id) {
      return new Faucet(devnet, path, genesisValue, 0, devnet.genesis.tx.time);
    }
    if (
      json.version !== 1 ||
      typeof json.left !== 'string' ||
      !/^(0|[1-9][0-9]*)$/.test(json.left) ||
      BigInt(json.left) > genesisValue ||
      !Number.isSafeInteger(json.payments) ||
      !Number.isSafeInteger(json.lastTime)
    ) {
      throw new DataFileError(path, 'not a version 1 faucet account');
    }
    return new Faucet(devnet, path, BigInt(json.left), json.payments!, json.lastTime!);
  }

  /** What is left of the genesis output by this faucet's account. */
  get tokensLeft(): bigint {
    return this.left;
  }

  private toJSON(): FaucetAccountJson {
    return {
      version: 1,
      genesisId: this.devnet.genesis.id,
      left: this.left.toString(),
      payments: this.payments,
      lastTime: this.lastTime,
    };
  }

  /**
   * Pays `tokens` to `to` (a checked address) at node time `now`. Resolves once the account is on disk;
   * rejects if it could not be written (the tokens then stay counted as spent: the account errs low).
   */
  async pay(to: string, tokens: number, now: number): Promise<FaucetPayment> {
    if (!checkAddress(to).ok) throw new TypeError(`pay() needs a checked address, got ${JSON.stringify(to)}`);
    if (BigInt(tokens) > this.left) {
      return {
        ok: false,
        problem: 'empty',
        error:
          this.left === 0n
            ? 'the faucet is empty'
            : `the faucet has ${this.left} tokens left, fewer than the ${tokens} asked`,
      };
    }
    const { owner, genesis, secretKey, params } = this.devnet;
    // PROTOCOL §5.10: not before the parent. One millisecond after the previous payment at least, so
    // two equal requests in one millisecond still make two transactions rather than one id twice.
    const time = Math.max(now, genesis.tx.time, this.lastTime + 1);
    const payment = mineAndSign(
      { tokens, to, key: owner.publicKey, time, prev: genesis.id },
      this.base,
      secretKey,
    );
    const { fee } = mintAndFee(workOf(payment.tx), this.base, params.powUnit);
    const cost = BigInt(tokens) + fee;
    this.left -= cost;
    this.payments += 1;
    this.lastTime = time;
    this.writer.schedule();
    await this.writer.flush();
    return { ok: true, payment, cost, left: this.left };
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}
