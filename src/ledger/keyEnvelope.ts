// The sealed form of the wallet's secrets at rest ("Keys at rest", docs/architecture.md): bytes
// encrypted with AES-256-GCM under a key derived from a passphrase with PBKDF2-SHA256. Pure WebCrypto
// (`crypto.subtle`), so it runs the same in the ledger worker and in Node tests. The envelope carries
// everything needed to open it again (format, salt, iteration count, IVs), so the iteration count can be
// raised later without breaking older envelopes.
import { bytesToHex, hexToBytes } from '../core/hex.ts';
import { encodeUtf8 } from '../core/utf8.ts';

/** The envelope format this code writes and reads. A new format gets a new number; old ones stay readable. */
export const ENVELOPE_FORMAT = 1;
/** PBKDF2-SHA256 iterations for new envelopes: OWASP's 2023 figure for PBKDF2-HMAC-SHA256, as MetaMask. */
export const PASSPHRASE_ITERATIONS = 600_000;
/**
 * The most iterations an envelope may ask for when opened: a damaged or planted record must not make
 * the worker derive for hours (10,000,000 takes ~10 s). New envelopes use PASSPHRASE_ITERATIONS.
 */
export const MAX_ITERATIONS = 10_000_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
/** AES-GCM's tag, appended to each ciphertext by WebCrypto. */
const TAG_BYTES = 16;

// Each encryption names what it is for in its additional data, so the check tag cannot be swapped for
// the secrets' ciphertext or the other way round.
const CHECK_AAD = owned(encodeUtf8('torrenttx key envelope 1: passphrase check'));
const SECRETS_AAD = owned(encodeUtf8('torrenttx key envelope 1: secrets'));

/** A copy on a plain ArrayBuffer, as WebCrypto's types ask (the input may view a shared buffer). */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** How the sealed secrets are stored (hex strings: the record stays plain JSON-like data). */
export interface KeyEnvelope {
  readonly format: typeof ENVELOPE_FORMAT;
  readonly kdf: 'PBKDF2-SHA256';
  readonly iterations: number;
  /** 16 random bytes, new for every envelope. */
  readonly salt: string;
  readonly cipher: 'AES-256-GCM';
  /**
   * AES-GCM of nothing under its own IV: only a tag. It opens with the right passphrase whatever
   * happened to the ciphertext, so a wrong passphrase and damaged secrets are told apart.
   */
  readonly checkIv: string;
  readonly check: string;
  /** 12 random bytes, new for every encryption. */
  readonly iv: string;
  /** The secrets' ciphertext followed by the 16-byte tag. */
  readonly ciphertext: string;
}

/** The passphrase does not open the envelope. The sentence is the one the page shows. */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError';
  constructor() {
    super('That passphrase does not unlock this wallet.');
  }
}

/** The passphrase is right but the sealed secrets were changed or damaged: they cannot be trusted. */
export class EnvelopeDamagedError extends Error {
  override readonly name = 'EnvelopeDamagedError';
}

/** The stored envelope is not one this code reads (a newer format, or fields out of range). */
export class EnvelopeFormatError extends Error {
  override readonly name = 'EnvelopeFormatError';
}

/**
 * The AES-256-GCM key of a passphrase: PBKDF2-SHA256 over the passphrase's UTF-8 (NFKD, as BIP39
 * treats its passphrase, so the same characters typed on any keyboard give the same key). The key is
 * not extractable: its bytes never reach JavaScript.
 */
export async function deriveEnvelopeKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    'raw',
    owned(encodeUtf8(passphrase.normalize('NFKD'))),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: owned(salt), iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals `secrets` under `passphrase` with a fresh salt and fresh IVs. */
export async function sealEnvelope(
  secrets: Uint8Array,
  passphrase: string,
  iterations: number = PASSPHRASE_ITERATIONS,
): Promise<KeyEnvelope> {
  checkIterations(iterations);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const key = await deriveEnvelopeKey(passphrase, salt, iterations);
  const checkIv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const [check, ciphertext] = await Promise.all([
    crypto.subtle.encrypt({ name: 'AES-GCM', iv: checkIv, additionalData: CHECK_AAD }, key, new Uint8Array()),
    crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: SECRETS_AAD }, key, owned(secrets)),
  ]);
  return {
    format: ENVELOPE_FORMAT,
    kdf: 'PBKDF2-SHA256',
    iterations,
    salt: bytesToHex(salt),
    cipher: 'AES-256-GCM',
    checkIv: bytesToHex(checkIv),
    check: bytesToHex(new Uint8Array(check)),
    iv: bytesToHex(iv),
    ciphertext: bytesToHex(new Uint8Array(ciphertext)),
  };
}

/**
 * The secrets of an envelope. Throws WrongPassphraseError if the passphrase does not open it,
 * EnvelopeDamagedError if it does but the ciphertext fails its tag, EnvelopeFormatError if the record
 * is not an envelope this code reads. Derives with the envelope's own iteration count.
 */
export async function openEnvelope(envelope: unknown, passphrase: string): Promise<Uint8Array> {
  const parsed = parseEnvelope(envelope);
  const key = await deriveEnvelopeKey(passphrase, parsed.salt, parsed.iterations);
  try {
    await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: parsed.checkIv, additionalData: CHECK_AAD },
      key,
      parsed.check,
    );
  } catch {
    throw new WrongPassphraseError();
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: parsed.iv, additionalData: SECRETS_AAD },
      key,
      parsed.ciphertext,
    );
    return new Uint8Array(plain);
  } catch {
    throw new EnvelopeDamagedError(
      'the passphrase is right but the stored secrets are damaged; restore the wallet from its recovery words',
    );
  }
}

interface ParsedEnvelope {
  readonly iterations: number;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly checkIv: Uint8Array<ArrayBuffer>;
  readonly check: Uint8Array<ArrayBuffer>;
  readonly iv: Uint8Array<ArrayBuffer>;
  readonly ciphertext: Uint8Array<ArrayBuffer>;
}

/** Checks every field of a stored envelope; says which one is wrong and what came. */
export function parseEnvelope(value: unknown): ParsedEnvelope {
  if (typeof value !== 'object' || value === null) {
    throw new EnvelopeFormatError(
      `a key envelope is an object, got ${value === null ? 'null' : typeof value}`,
    );
  }
  const e = value as Record<string, unknown>;
  if (e.format !== ENVELOPE_FORMAT) {
    throw new EnvelopeFormatError(
      `this wallet was locked in key envelope format ${String(e.format)}; this version reads format ${ENVELOPE_FORMAT}`,
    );
  }
  if (e.kdf !== 'PBKDF2-SHA256' || e.cipher !== 'AES-256-GCM') {
    throw new EnvelopeFormatError(
      `a key envelope uses PBKDF2-SHA256 and AES-256-GCM, got ${String(e.kdf)} and ${String(e.cipher)}`,
    );
  }
  checkIterations(e.iterations);
  return {
    iterations: e.iterations as number,
    salt: hexField(e, 'salt', SALT_BYTES, SALT_BYTES),
    checkIv: hexField(e, 'checkIv', IV_BYTES, IV_BYTES),
    check: hexField(e, 'check', TAG_BYTES, TAG_BYTES),
    iv: hexField(e, 'iv', IV_BYTES, IV_BYTES),
    ciphertext: hexField(e, 'ciphertext', TAG_BYTES, Number.MAX_SAFE_INTEGER),
  };
}

function checkIterations(iterations: unknown): void {
  if (
    !Number.isSafeInteger(iterations) ||
    (iterations as number) < 1 ||
    (iterations as number) > MAX_ITERATIONS
  ) {
    throw new EnvelopeFormatError(
      `a key envelope's iteration count is a whole number from 1 to ${MAX_ITERATIONS}, got ${String(iterations)}`,
    );
  }
}

function hexField(
  e: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): Uint8Array<ArrayBuffer> {
  const text = e[field];
  if (
    typeof text !== 'string' ||
    !/^(?:[0-9a-f]{2})*$/u.test(text) ||
    text.length / 2 < min ||
    text.length / 2 > max
  ) {
    const size = min === max ? `${min}` : `at least ${min}`;
    throw new EnvelopeFormatError(
      `a key envelope's ${field} is ${size} bytes in lowercase hex, got ${typeof text === 'string' ? `${text.length} characters` : typeof text}`,
    );
  }
  return owned(hexToBytes(text));
}
