// The local devnet's genesis: made once in the data folder (a fresh key, 10^12 tokens to its own address,
// mined to 8 bits), then loaded on every later start, so the network keeps its id across restarts.
// The secret key stays in the data folder (mode 0600): the faucet pays from the genesis output with it.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkParsedTx } from '../src/core/checkTx.ts';
import { bytesToHex, hexToBytes, isLowerHex } from '../src/core/hex.ts';
import { keyPairOf, type KeyPair } from '../src/core/makeTx.ts';
import type { NetworkParams } from '../src/core/network.ts';
import type { Tx } from '../src/core/tx.ts';
import { txIdOf } from '../src/core/txId.ts';
import { DataFileError } from './dataFileError.ts';
import { mineAndSign } from './mineAndSign.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

export const GENESIS_TOKENS = 10 ** 12;
export const GENESIS_WORK_BITS = 8;
export const DEVNET_POW_UNIT = 1n;
export const SECRET_KEY_FILE = 'genesis-secret-key';
/** The genesis as a torrent folder (`tx` holding `tx.json`, PROTOCOL §1), ready to seed. */
export const GENESIS_TX_PATH = join('genesis', 'tx', 'tx.json');

export interface Devnet {
  readonly dataDir: string;
  readonly params: NetworkParams;
  /** The genesis key pair; the faucet signs with `secretKey`. */
  readonly owner: KeyPair;
  readonly secretKey: Uint8Array;
  readonly genesis: {
    readonly id: string;
    readonly tx: Tx;
    readonly bytes: Uint8Array;
    /** The exact tx.json text, as served in network.json. */
    readonly text: string;
  };
  /** True when this start made the genesis. */
  readonly created: boolean;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function loadSecretKey(path: string): Promise<Uint8Array | undefined> {
  const file = await readOptional(path);
  if (file === undefined) return undefined;
  const hex = file.toString('utf8').trim();
  if (!isLowerHex(hex, 32)) throw new DataFileError(path, 'not a 64-hex-character Ed25519 secret key');
  return hexToBytes(hex);
}

/** Loads the devnet of `dataDir`, making the folder and the genesis on first run. */
export async function loadOrCreateDevnet(dataDir: string, now: number = Date.now()): Promise<Devnet> {
  await mkdir(join(dataDir, 'genesis', 'tx'), { recursive: true, mode: 0o700 });
  const keyPath = join(dataDir, SECRET_KEY_FILE);
  const txPath = join(dataDir, GENESIS_TX_PATH);
  let secretKey = await loadSecretKey(keyPath);
  let bytes: Uint8Array | undefined = await readOptional(txPath);
  if (bytes !== undefined && secretKey === undefined) {
    throw new DataFileError(txPath, `a genesis without its key (${SECRET_KEY_FILE} is missing)`);
  }
  let created = false;
  if (secretKey === undefined) {
    secretKey = new Uint8Array(randomBytes(32));
    await writeFileAtomic(keyPath, `${bytesToHex(secretKey)}\n`, 0o600);
  }
  const owner = keyPairOf(secretKey);
  if (bytes === undefined) {
    // Written after the key: a crash between the two leaves a key, from which the next start goes on.
    const genesis = mineAndSign(
      { tokens: GENESIS_TOKENS, to: owner.address, key: owner.publicKey, time: now, prev: null },
      GENESIS_WORK_BITS,
      secretKey,
    );
    bytes = genesis.bytes;
    await writeFileAtomic(txPath, bytes);
    created = true;
  }
  const check = await checkParsedTx(bytes);
  if (!check.ok)
    throw new DataFileError(txPath, `not a valid transaction (${check.reason}: ${check.detail})`);
  if (check.tx.prev !== null) throw new DataFileError(txPath, 'not a genesis (its prev is not null)');
  if (check.tx.key !== owner.publicKey) {
    throw new DataFileError(txPath, `signed by another key than the one in ${SECRET_KEY_FILE}`);
  }
  if (check.tx.to !== owner.address) {
    // The faucet spends the genesis output, which only its recipient's key can do (PROTOCOL §5.9).
    throw new DataFileError(txPath, "not paid to the genesis key's own address");
  }
  const id = txIdOf(bytes);
  return {
    dataDir,
    params: { genesisId: id, powUnit: DEVNET_POW_UNIT },
    owner,
    secretKey,
    genesis: { id, tx: check.tx, bytes, text: check.text },
    created,
  };
}
