// Building and signing transactions: what a wallet, the CLI and the tests use to make valid bytes.
import { canonicalJson } from './canonicalJson.ts';
import { addressOfKey } from './address.ts';
import { publicKeyOf, signMessage } from './ed25519.ts';
import { bytesToHex } from './hex.ts';
import { signingMessage, TxEncodeError } from './signingMessage.ts';
import type { Tx, UnsignedTx } from './tx.ts';
import { txIdOf } from './txId.ts';
import { encodeUtf8 } from './utf8.ts';

export interface KeyPair {
  readonly secretKey: string;
  readonly publicKey: string;
  readonly address: string;
}

/** The key pair of a 32-byte Ed25519 secret key (the caller supplies the randomness). */
export function keyPairOf(secretKey: Uint8Array): KeyPair {
  const publicKey = publicKeyOf(secretKey);
  return {
    secretKey: bytesToHex(secretKey),
    publicKey: bytesToHex(publicKey),
    address: addressOfKey(publicKey),
  };
}

/** Signs an unsigned transaction; the nonce, if any, must already be mined (PROTOCOL §6). */
export function signTx(unsigned: UnsignedTx, secretKey: Uint8Array): Tx {
  const signature = bytesToHex(signMessage(signingMessage(unsigned), secretKey));
  return { ...unsigned, signature };
}

/** The canonical tx.json bytes of a transaction. */
export function encodeTx(tx: Tx): Uint8Array {
  const text = canonicalJson(tx);
  if (text === undefined) throw new TxEncodeError('the transaction has no canonical JSON form');
  return encodeUtf8(text);
}

export interface EncodedTx {
  readonly tx: Tx;
  readonly bytes: Uint8Array;
  readonly id: string;
}

export function encodeWithId(tx: Tx): EncodedTx {
  const bytes = encodeTx(tx);
  return { tx, bytes, id: txIdOf(bytes) };
}
