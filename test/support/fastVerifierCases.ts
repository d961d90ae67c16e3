// Signatures on which a lax Ed25519 (WebCrypto: cofactorless, no small-order key check) and strict
// Ed25519 (PROTOCOL §4, noble zip215:false) answer differently, or could: the fast verifier must give the
// strict answer on each. Built here with raw scalars, so they run the same in Node and in Chromium.
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import '../../src/core/ed25519.ts';
import { hexToBytes } from '../../src/core/hex.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';

export interface FastVerifierCase {
  readonly name: string;
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
  /** What Chromium's and Node's WebCrypto say. */
  readonly webCrypto: boolean;
  /** The consensus verdict. */
  readonly strict: boolean;
}

const L = ed.Point.CURVE().n;

function scalarBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** A signature whose R is `r` (any encoding), made valid for the RFC 8032 equation with the secret scalar. */
function signWithR(r: Uint8Array, message: Uint8Array, secret: Uint8Array): Uint8Array {
  const { scalar, pointBytes } = ed.utils.getExtendedPublicKey(secret);
  const k = littleEndian(sha512(new Uint8Array([...r, ...pointBytes, ...message]))) % L;
  return new Uint8Array([...r, ...scalarBytes((k * scalar) % L)]);
}

export function fastVerifierCases(): FastVerifierCase[] {
  const secret = sha512(encodeUtf8('fast verifier cases')).subarray(0, 32);
  const publicKey = ed.getPublicKey(secret);
  const message = encodeUtf8('torrenttx:v1:{"tokens":1}');
  const identity = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');
  // The point of order 2, (0, −1): small order, canonical.
  const orderTwo = hexToBytes('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
  const honest = ed.sign(message, secret);
  const sPlusL = new Uint8Array([
    ...honest.subarray(0, 32),
    ...scalarBytes(littleEndian(honest.subarray(32)) + L),
  ]);
  return [
    { name: 'an honest signature', signature: honest, message, publicKey, webCrypto: true, strict: true },
    {
      // The forgery the brief names: identity key, R = identity, S = 0, any message.
      name: 'identity key with R = identity and S = 0',
      signature: new Uint8Array([...identity, ...new Uint8Array(32)]),
      message,
      publicKey: identity,
      webCrypto: true,
      strict: false,
    },
    {
      name: 'R of order 2 (only the cofactored equation holds)',
      signature: signWithR(orderTwo, message, secret),
      message,
      publicKey,
      webCrypto: false,
      strict: true,
    },
    {
      name: 'R = identity (both equations hold)',
      signature: signWithR(identity, message, secret),
      message,
      publicKey,
      webCrypto: true,
      strict: true,
    },
    { name: 'S + L', signature: sPlusL, message, publicKey, webCrypto: false, strict: false },
  ];
}
