// The key envelope (src/ledger/keyEnvelope.ts) on Node's WebCrypto, checked against an independent
// implementation: node:crypto's pbkdf2Sync and AES-256-GCM decipher open what WebCrypto sealed, with the
// iteration count the envelope records. A wrong passphrase, a tampered ciphertext and a record out of
// range each get their own error.
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/core/hex.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import {
  ENVELOPE_FORMAT,
  IV_BYTES,
  MAX_ITERATIONS,
  openEnvelope,
  PASSPHRASE_ITERATIONS,
  SALT_BYTES,
  sealEnvelope,
  type KeyEnvelope,
} from '../../src/ledger/keyEnvelope.ts';

// Tests seal with few iterations (the count is a parameter the envelope records); one test uses the
// default of 600,000 to show it is what new envelopes get.
const FAST = 1_000;
const SECRETS = encodeUtf8('{"words":"abandon … art","imported":{}}');

/** node:crypto's reading of an envelope: PBKDF2-SHA256 with `iterations`, then AES-256-GCM. */
function openWithNodeCrypto(envelope: KeyEnvelope, passphrase: string, iterations = envelope.iterations) {
  const key = pbkdf2Sync(passphrase.normalize('NFKD'), hexToBytes(envelope.salt), iterations, 32, 'sha256');
  const sealed = hexToBytes(envelope.ciphertext);
  const decipher = createDecipheriv('aes-256-gcm', key, hexToBytes(envelope.iv));
  decipher.setAAD(encodeUtf8('torrenttx key envelope 1: secrets'));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return new Uint8Array(
    Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]),
  );
}

/** The envelope with one hex field's first byte flipped. */
function flipped(envelope: KeyEnvelope, field: 'ciphertext' | 'iv' | 'check' | 'salt'): KeyEnvelope {
  const bytes = hexToBytes(envelope[field]);
  bytes[0]! ^= 0x01;
  return { ...envelope, [field]: bytesToHex(bytes) };
}

describe('sealing', () => {
  it('records its format, parameters and fresh random salt and IVs', async () => {
    const [one, two] = await Promise.all([
      sealEnvelope(SECRETS, 'correct horse', FAST),
      sealEnvelope(SECRETS, 'correct horse', FAST),
    ]);
    expect(one).toMatchObject({
      format: ENVELOPE_FORMAT,
      kdf: 'PBKDF2-SHA256',
      iterations: FAST,
      cipher: 'AES-256-GCM',
    });
    expect(hexToBytes(one.salt)).toHaveLength(SALT_BYTES);
    expect(hexToBytes(one.iv)).toHaveLength(IV_BYTES);
    expect(hexToBytes(one.checkIv)).toHaveLength(IV_BYTES);
    expect(hexToBytes(one.ciphertext)).toHaveLength(SECRETS.length + 16);
    expect(two.salt).not.toBe(one.salt);
    expect(two.iv).not.toBe(one.iv);
    expect(two.ciphertext).not.toBe(one.ciphertext);
    expect(JSON.stringify(one)).not.toContain(bytesToHex(SECRETS));
  });

  it('opens with the passphrase, in WebCrypto and in node:crypto alike', async () => {
    const envelope = await sealEnvelope(SECRETS, 'correct horse', FAST);
    expect(await openEnvelope(envelope, 'correct horse')).toEqual(SECRETS);
    expect(openWithNodeCrypto(envelope, 'correct horse')).toEqual(SECRETS);
  });

  it('uses 600,000 iterations unless told otherwise, and node:crypto needs exactly that many', async () => {
    expect(PASSPHRASE_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const envelope = await sealEnvelope(SECRETS, 'correct horse');
    expect(envelope.iterations).toBe(PASSPHRASE_ITERATIONS);
    expect(openWithNodeCrypto(envelope, 'correct horse', PASSPHRASE_ITERATIONS)).toEqual(SECRETS);
    expect(() => openWithNodeCrypto(envelope, 'correct horse', PASSPHRASE_ITERATIONS - 1)).toThrow();
  });

  it('honours the iteration count it records: another count is another key', async () => {
    const envelope = await sealEnvelope(SECRETS, 'correct horse', 2_345);
    expect(openWithNodeCrypto(envelope, 'correct horse', 2_345)).toEqual(SECRETS);
    expect(() => openWithNodeCrypto(envelope, 'correct horse', 2_344)).toThrow();
    await expect(openEnvelope({ ...envelope, iterations: 2_344 }, 'correct horse')).rejects.toMatchObject({
      name: 'WrongPassphraseError',
    });
  });

  it('takes the passphrase in NFKD: é typed as one or as two code points is the same passphrase', async () => {
    const envelope = await sealEnvelope(SECRETS, 'caf\u00e9 au lait', FAST);
    expect(await openEnvelope(envelope, 'cafe\u0301 au lait')).toEqual(SECRETS);
  });
});

describe('opening refuses', () => {
  it('a wrong passphrase, with the sentence the page shows', async () => {
    const envelope = await sealEnvelope(SECRETS, 'correct horse', FAST);
    for (const wrong of ['correct horse ', 'Correct horse', '']) {
      await expect(openEnvelope(envelope, wrong)).rejects.toMatchObject({
        name: 'WrongPassphraseError',
        message: 'That passphrase does not unlock this wallet.',
      });
    }
  });

  it('a tampered ciphertext or IV as damaged (the passphrase is right), a tampered salt or check as wrong', async () => {
    const envelope = await sealEnvelope(SECRETS, 'correct horse', FAST);
    for (const field of ['ciphertext', 'iv'] as const) {
      await expect(openEnvelope(flipped(envelope, field), 'correct horse')).rejects.toMatchObject({
        name: 'EnvelopeDamagedError',
      });
    }
    const lastByte = envelope.ciphertext.slice(0, -2) + (envelope.ciphertext.endsWith('00') ? '01' : '00');
    await expect(openEnvelope({ ...envelope, ciphertext: lastByte }, 'correct horse')).rejects.toMatchObject({
      name: 'EnvelopeDamagedError',
    });
    for (const field of ['salt', 'check'] as const) {
      await expect(openEnvelope(flipped(envelope, field), 'correct horse')).rejects.toMatchObject({
        name: 'WrongPassphraseError',
      });
    }
  });

  it('records it does not read, saying which field and what came, before deriving anything', async () => {
    const envelope = await sealEnvelope(SECRETS, 'correct horse', FAST);
    const cases: [unknown, string][] = [
      [null, 'a key envelope is an object, got null'],
      [{ ...envelope, format: 2 }, 'locked in key envelope format 2; this version reads format 1'],
      [{ ...envelope, kdf: 'scrypt' }, 'uses PBKDF2-SHA256 and AES-256-GCM, got scrypt'],
      [
        { ...envelope, iterations: MAX_ITERATIONS + 1 },
        `from 1 to ${MAX_ITERATIONS}, got ${MAX_ITERATIONS + 1}`,
      ],
      [{ ...envelope, iterations: 0 }, 'got 0'],
      [{ ...envelope, iterations: 1.5 }, 'got 1.5'],
      [{ ...envelope, salt: envelope.salt.slice(2) }, 'salt is 16 bytes in lowercase hex, got 30 characters'],
      [{ ...envelope, iv: envelope.iv.toUpperCase() }, 'iv is 12 bytes in lowercase hex'],
      [{ ...envelope, ciphertext: 'ab' }, 'ciphertext is at least 16 bytes'],
    ];
    for (const [value, message] of cases) {
      await expect(openEnvelope(value, 'correct horse')).rejects.toMatchObject({
        name: 'EnvelopeFormatError',
      });
      await expect(openEnvelope(value, 'correct horse')).rejects.toThrow(message);
    }
  });
});
