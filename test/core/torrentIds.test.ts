// Transaction ids against two independent torrent makers (PROTOCOL §1): every tx.json of the vectors is
// written as a folder `tx/tx.json`, turned into a v1 torrent by create-torrent (webtorrent's own maker)
// and by libtorrent (Debian's python3-libtorrent), and the infohash each tool gives must be txIdOf(bytes).
// The vectors' info dicts are compared byte for byte in vectors.test.ts, not here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { PIECE_LENGTH, txIdOf, txInfoDict } from '../../src/core/txId.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { v1 } from '../support/vectors.ts';

/** Debian's python3-libtorrent installs for the system Python, not for a pyenv python on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';
const LIBTORRENT_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../support/libtorrentIds.py');
/** The only keys PROTOCOL §1 allows in the info dictionary. */
const INFO_KEYS = ['files', 'name', 'piece length', 'pieces'];

interface Case {
  readonly label: string;
  readonly bytes: Uint8Array;
}

/** Deterministic filler bytes: ids are computed for any bytes, oversized ones included (txId.ts). */
function filler(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 131 + (i >> 7)) & 0xff);
}

const cases: Case[] = [
  ...Object.entries(v1.transactions).map(([name, tx]) => ({
    label: `transactions.${name}`,
    bytes: encodeUtf8(tx.text),
  })),
  ...v1.replay.lines.map((line) => ({ label: `replay.${line.name}`, bytes: encodeUtf8(line.text) })),
  // Not transactions (all too-large), but they still get ids: one full piece, one byte into a second
  // piece, and three pieces, where BEP 3 hashes each 16 KiB piece separately.
  { label: 'one full piece (16384 bytes)', bytes: filler(PIECE_LENGTH) },
  { label: 'two pieces (16385 bytes)', bytes: filler(PIECE_LENGTH + 1) },
  { label: 'three pieces (40000 bytes)', bytes: filler(40000) },
];

let root = '';

/** The `tx` folder of case i. */
function folderOf(i: number): string {
  return join(root, String(i), 'tx');
}

function writeFolder(folder: string, bytes: Uint8Array): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'tx.json'), bytes);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'torrenttx-ids-'));
  cases.forEach((c, i) => writeFolder(folderOf(i), c.bytes));
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

// create-torrent and bencode ship no type declarations; importing them through a string-typed name keeps
// tsc from resolving them, and these are the only shapes the test uses.
type CreateTorrent = (
  input: string,
  opts: object,
  cb: (err: Error | null, torrent: Uint8Array) => void,
) => void;
type Bencode = { decode(data: Uint8Array): unknown; encode(value: unknown): Uint8Array };
type BencodedDict = Record<string, unknown>;

async function importUntyped<T>(name: string): Promise<T> {
  return ((await import(name)) as { default: T }).default;
}

describe('create-torrent 6.1.3 (the folder, with its defaults)', () => {
  let createTorrent: CreateTorrent;
  let bencode: Bencode;
  const infos: BencodedDict[] = [];

  beforeAll(async () => {
    createTorrent = await importUntyped<CreateTorrent>('create-torrent');
    bencode = await importUntyped<Bencode>('bencode');
    // Defaults on purpose: PROTOCOL §1 says create-torrent given the folder makes the id. Its defaults add
    // trackers, a creation date and an encoding, all outside `info`; `private` only when asked for.
    const torrents = await Promise.all(
      cases.map(
        (_, i) =>
          new Promise<Uint8Array>((done, fail) =>
            createTorrent(folderOf(i), {}, (err, torrent) => (err ? fail(err) : done(torrent))),
          ),
      ),
    );
    for (const torrent of torrents)
      infos.push((bencode.decode(torrent) as BencodedDict).info as BencodedDict);
  });

  cases.forEach((c, i) => {
    it(c.label, () => {
      const info = infos[i]!;
      expect(Object.keys(info).sort()).toEqual(INFO_KEYS);
      expect(new TextDecoder().decode(info.name as Uint8Array)).toBe('tx');
      expect(info['piece length']).toBe(PIECE_LENGTH);
      const files = info.files as BencodedDict[];
      expect(files.map((f) => Object.keys(f).sort())).toEqual([['length', 'path']]);
      expect(files[0]!.length).toBe(c.bytes.length);
      expect((files[0]!.path as Uint8Array[]).map((p) => new TextDecoder().decode(p))).toEqual(['tx.json']);
      // Same info dict byte for byte (a readable diff when an id differs), then the same infohash.
      const encoded = bencode.encode(info);
      expect(bytesToHex(encoded)).toBe(bytesToHex(txInfoDict(c.bytes)));
      expect(createHash('sha1').update(encoded).digest('hex')).toBe(txIdOf(c.bytes));
    });
  });
});

interface LibtorrentAnswer {
  readonly infohash?: string;
  readonly infoKeys?: string[];
  readonly error?: string;
}

/** Runs test/support/libtorrentIds.py over `folders`; throws, saying how to fix it, when it cannot. */
function libtorrentIds(folders: string[]): LibtorrentAnswer[] {
  const run = spawnSync(SYSTEM_PYTHON, [LIBTORRENT_SCRIPT], {
    input: JSON.stringify(folders),
    encoding: 'utf8',
  });
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(
      `libtorrent ids need ${SYSTEM_PYTHON} with libtorrent: install it with ` +
        `"apt-get install -y python3-libtorrent" (CI installs it). ` +
        `${SYSTEM_PYTHON} ${run.error ? `could not start: ${run.error.message}` : `exited ${run.status}: ${run.stderr.trim()}`}`,
    );
  }
  return JSON.parse(run.stdout) as LibtorrentAnswer[];
}

describe('libtorrent (create_torrent(files, 16384, flags=v1_only))', () => {
  let answers: LibtorrentAnswer[] = [];

  // Not skipped when libtorrent is missing: every test below then fails with the install hint.
  beforeAll(() => {
    answers = libtorrentIds(cases.map((_, i) => folderOf(i)));
  });

  cases.forEach((c, i) => {
    it(c.label, () => {
      const answer = answers[i]!;
      expect(answer.error).toBeUndefined();
      expect(answer.infoKeys).toEqual(INFO_KEYS);
      expect(answer.infohash).toBe(txIdOf(c.bytes));
    });
  });
});

// An empty tx.json (malformed, but it still gets an id) is where the tools part ways: PROTOCOL §1's
// formula gives "pieces": SHA-1 of the empty string, create-torrent gives no pieces at all (BEP 3: zero
// pieces for zero bytes) and libtorrent refuses the torrent. txIdOf follows PROTOCOL §1. This pins the
// divergence so that a change on either side is seen; it does not claim the tools are wrong.
describe('an empty tx.json: known divergence from the tools', () => {
  const empty = new Uint8Array(0);
  let folder = '';

  beforeAll(() => {
    folder = join(root, 'empty', 'tx');
    writeFolder(folder, empty);
  });

  it('txIdOf follows the PROTOCOL §1 formula with pieces = SHA-1("")', () => {
    const sha1Empty = createHash('sha1').digest();
    const text = `d5:filesld6:lengthi0e4:pathl7:tx.jsoneee4:name2:tx12:piece lengthi16384e6:pieces20:`;
    const info = Buffer.concat([Buffer.from(text, 'latin1'), sha1Empty, Buffer.from('e')]);
    expect(bytesToHex(txInfoDict(empty))).toBe(info.toString('hex'));
    expect(txIdOf(empty)).toBe(createHash('sha1').update(info).digest('hex'));
  });

  it('create-torrent gives zero pieces, so another id', async () => {
    const createTorrent = await importUntyped<CreateTorrent>('create-torrent');
    const bencode = await importUntyped<Bencode>('bencode');
    const torrent = await new Promise<Uint8Array>((done, fail) =>
      createTorrent(folder, {}, (err, t) => (err ? fail(err) : done(t))),
    );
    const info = (bencode.decode(torrent) as BencodedDict).info as BencodedDict;
    expect((info.pieces as Uint8Array).length).toBe(0);
    expect(createHash('sha1').update(bencode.encode(info)).digest('hex')).not.toBe(txIdOf(empty));
  });

  it('libtorrent refuses to make the torrent', () => {
    expect(libtorrentIds([folder])).toEqual([{ error: 'invalid length of torrent' }]);
  });
});
