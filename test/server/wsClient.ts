// A raw WebSocket tracker client for tests: the messages a browser's webtorrent sends, built by hand so
// that tests control exactly how many and how large.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** 20 bytes as the one-char-per-byte string bittorrent-tracker expects in JSON messages. */
export function binaryOf(hex: string): string {
  return String.fromCharCode(...Buffer.from(hex, 'hex'));
}

export function randomHex20(): string {
  return randomBytes(20).toString('hex');
}

export function announceMessage(infoHash: string, peerId: string, event = 'started'): string {
  return JSON.stringify({
    action: 'announce',
    info_hash: binaryOf(infoHash),
    peer_id: binaryOf(peerId),
    event,
    numwant: 0,
    uploaded: 0,
    downloaded: 0,
    left: 0,
    offers: [],
  });
}

export interface TestSocket {
  readonly socket: WebSocket;
  /** Parsed messages received so far. */
  readonly received: Record<string, unknown>[];
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  /** Resolves once `count` messages have arrived (rejects if the socket closes first). */
  receivedCount(count: number): Promise<void>;
}

/** `localAddress` picks the source: any of 127.0.0.0/8 is loopback, so tests can be many addresses. */
export async function openSocket(
  url: string,
  localAddress?: string,
  headers?: Record<string, string>,
): Promise<TestSocket> {
  const socket = new WebSocket(url, { ...(localAddress ? { localAddress } : {}), headers });
  const received: Record<string, unknown>[] = [];
  const waiters: { count: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  const closed = new Promise<number>((resolve) => {
    socket.on('close', (code: number) => {
      for (const w of waiters) w.reject(new Error(`closed (${code}) after ${received.length} messages`));
      resolve(code);
    });
  });
  socket.on('message', (data: Buffer) => {
    received.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  // After the handshake an error always ends in 'close', whose code the tests check.
  socket.on('error', () => undefined);
  return {
    socket,
    received,
    closed,
    receivedCount: (count) =>
      received.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => waiters.push({ count, resolve, reject })),
  };
}
