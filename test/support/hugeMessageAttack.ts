// The huge-length-prefix attack, from the rogue's side of a real wire: announce a 2^31 − 1 byte
// message, then stream its payload at 20 MiB/s until the other side closes the wire. Runs in Node
// tests and on browser test pages alike (no Node or DOM imports).

/** The slice of a bittorrent-protocol Wire the attack uses (`_push` sends raw bytes). */
export interface RogueWire {
  _push(bytes: Uint8Array): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export interface AttackResult {
  /** From the prefix to the rogue's wire closing. */
  readonly msToClose: number;
  /** Payload pushed after the prefix before the wire closed. */
  readonly sentBytes: number;
}

const CHUNK = 2 ** 20;
/**
 * Each chunk goes out in pieces this size: a WebRTC data channel refuses larger messages (libdatachannel
 * allows 256 KiB), and the rogue's own connection then closed before the victim had read the prefix, so
 * the test saw a closed wire with no violation reported (about one run in five).
 */
const PIECE = 16 * 1024;

/**
 * Runs the attack until the wire closes or `maxBytes` of payload went out; `sample` is called after
 * each chunk (to watch memory).
 */
export async function announceHugeMessage(
  wire: RogueWire,
  maxBytes = 100 * CHUNK,
  sample: () => void = () => {},
): Promise<AttackResult> {
  let closedAt = 0;
  wire.once('close', () => (closedAt = performance.now()));
  const started = performance.now();
  wire._push(new Uint8Array([0x7f, 0xff, 0xff, 0xff]));
  let sentBytes = 0;
  while (closedAt === 0 && sentBytes < maxBytes) {
    for (let at = 0; at < CHUNK && closedAt === 0; at += PIECE) wire._push(new Uint8Array(PIECE));
    sentBytes += CHUNK;
    sample();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { msToClose: closedAt === 0 ? Infinity : closedAt - started, sentBytes };
}
