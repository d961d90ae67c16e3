// Constants and bounds of range-based set reconciliation (Negentropy protocol v1,
// https://github.com/hoytech/negentropy/blob/master/docs/negentropy-protocol-v1.md), shared by the
// message reader, the writer and the reconciler. Every bound here is enforced on both sides: our own
// messages never break one, so only a broken or hostile peer trips them.

/** Negentropy v1's version byte. Our messages are v1 over ids of `idSize` bytes (20: SHA-1 infohashes). */
export const PROTOCOL_VERSION = 0x61;
/** Version bytes a Negentropy peer may send (0x60 + version); any other first byte is not Negentropy. */
export const MIN_VERSION_BYTE = 0x60;
export const MAX_VERSION_BYTE = 0x6f;

/** Range modes (spec "Range"). */
export const MODE_SKIP = 0;
export const MODE_FINGERPRINT = 1;
export const MODE_ID_LIST = 2;

export const FINGERPRINT_BYTES = 16;
/** A mismatched range is split into this many fingerprinted sub-ranges (as the reference does)... */
export const BUCKETS = 16;
/** ...unless it holds fewer than this many items: then its ids are sent instead. */
export const ID_LIST_THRESHOLD = 2 * BUCKETS;

/**
 * Longest varint read: 8 bytes carry 56 bits, enough for the largest value we ever encode, 2^53 (a time
 * offset of 2^53 − 1, plus one). A longer varint, or a larger value, is a protocol error.
 */
export const MAX_VARINT_BYTES = 8;
export const MAX_VARINT_VALUE = 2 ** 53;
/** Times are integers in [0, 2^53 − 1] (PROTOCOL §2: tx `time`); Negentropy's infinity is `Infinity` here. */
export const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** Smallest frame size a reconciler accepts: room for the largest split (16 fingerprints) and more. */
export const MIN_FRAME_SIZE_LIMIT = 4096;
/** Default bound on one message, both ways: fits a 64 KiB ut_ttx frame with room for its headers. */
export const DEFAULT_FRAME_SIZE_LIMIT = 60 * 1024;
/**
 * Ranges in one message, both ways. Our writer stops adding ranges before this, so an honest message
 * never has more; it caps the work a message costs us (per range: a binary search and at most 17
 * SHA-256). A message of 3-byte Skip ranges could otherwise carry ~20,000 in 60 KiB.
 */
export const MAX_RANGES_PER_MESSAGE = 4096;
/**
 * Messages one reconciler accepts in a session, by default. When the sets differ a lot, a round moves
 * at most `idsPerRound(frameSizeLimit)` ids (an id list and the fingerprint that closes the message), so
 * the rounds a difference of d ids needs are d / idsPerRound: at the default frame (60 KiB, ~3,000 ids a
 * round) 512 rounds cover ~1.5 million; the gossip's 16 KiB frames move ~810 ids a round and would stop
 * at ~410,000, so the gossip passes its own `maxRounds` (roundsFor). A small difference takes about
 * log16(n) / 2 rounds (2 for 100,000 items).
 */
export const DEFAULT_MAX_ROUNDS = 512;

/** Bytes of a message that are not ids when it lists ids: version, a Skip, the list's header, the closing fingerprint. */
const LIST_OVERHEAD = 1 + 2 * (MAX_VARINT_BYTES + 1 + 32 + 1) + MAX_VARINT_BYTES + FINGERPRINT_BYTES;

/** Ids of `idSize` bytes one message of `frameSizeLimit` bytes carries at least when it lists ids. */
export function idsPerRound(frameSizeLimit: number, idSize = 20): number {
  return Math.floor((frameSizeLimit - LIST_OVERHEAD) / idSize);
}

/**
 * Rounds for a difference of `differences` ids in `frameSizeLimit`-byte messages, twice over: enough for
 * a node that far behind (its missing ids newest, or all of them: 500,000 take 616 rounds in 16 KiB
 * frames, test/net/syncLimits.test.ts). Scattered differences take more rounds per id, as fingerprints
 * and the ids of items both sides hold share the frames and a cut message is asked about again from its
 * cut: half of 1,000,000 missing at random took 3,530 rounds, 5.7× the ids-only count.
 */
export function roundsFor(differences: number, frameSizeLimit: number, idSize = 20): number {
  return 2 * Math.ceil(differences / idsPerRound(frameSizeLimit, idSize));
}
