// Transaction ids (PROTOCOL §1): the BitTorrent v1 infohash of a folder `tx` holding one file `tx.json`,
// computed from the bytes alone so that Node, workers and the CLI agree without webtorrent.
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from './hex.ts';
import { concatBytes } from './concatBytes.ts';
import { encodeUtf8 } from './utf8.ts';

export const PIECE_LENGTH = 16384;

// The info dictionary's fixed parts, encoded once: ids are computed for every transaction received.
const INFO_HEAD = encodeUtf8('d5:filesld6:lengthi');
const INFO_MIDDLE = encodeUtf8(`e4:pathl7:tx.jsoneee4:name2:tx12:piece lengthi${PIECE_LENGTH}e6:pieces`);
const INFO_TAIL = encodeUtf8('e');

/**
 * The bencoded info dictionary of the `tx` folder, keys in bencode's sorted order. A tx.json is at most
 * 1024 bytes in a valid transaction, but ids are computed for any bytes (an oversized one still needs an
 * id to be rejected by name), so files above one piece get one SHA-1 per 16 KiB piece, as BEP 3 says.
 */
export function txInfoDict(bytes: Uint8Array, sha1Of: (data: Uint8Array) => Uint8Array = sha1): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || at === 0; at += PIECE_LENGTH) {
    pieces.push(sha1Of(bytes.subarray(at, at + PIECE_LENGTH)));
    if (bytes.length === 0) break;
  }
  const piecesLength = pieces.length * 20;
  return concatBytes([
    INFO_HEAD,
    encodeUtf8(`${bytes.length}`),
    INFO_MIDDLE,
    encodeUtf8(`${piecesLength}:`),
    ...pieces,
    INFO_TAIL,
  ]);
}

/** The transaction id: 40 lowercase hex characters of SHA-1(info dict). */
export function txIdOf(bytes: Uint8Array): string {
  return txIdWith(bytes, sha1);
}

/**
 * txIdOf with another SHA-1 (the full node's checker threads hand in node:crypto's, several times faster
 * than noble's): the same id.
 */
export function txIdWith(bytes: Uint8Array, sha1Of: (data: Uint8Array) => Uint8Array): string {
  return bytesToHex(sha1Of(txInfoDict(bytes, sha1Of)));
}
