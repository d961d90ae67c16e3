// The listener limit of the WebSocket tracker sockets in a Node process. bittorrent-tracker's client
// shares one WebSocket per announce URL among every torrent of the process (WebSocketTracker._socketPool,
// lib/client/websocket-tracker.js 11.2.3), and each torrent listens on it: 'data', 'close' and 'error'
// once each, and 'connect' once per announce it makes while the socket connects (its first announce, when
// the socket is new) or once per reconnect attempt (trackerReconnect.ts). A full node announces every hot
// transaction (hotSeeds.ts): with ten or more, Node printed MaxListenersExceededWarning ("11 connect
// listeners added to [Socket]") on each start of a devnet that had them — no leak, the count follows the
// torrents, each torrent's listeners going with it. So each pooled socket is given a limit from the
// node's own torrent maximum: past that, the warning still tells of a real leak.
//
// The pool is one object for the whole process: its prototype is a proxy that sees every socket put in
// it (the pool assigns `pool[url] = socket` to a key it does not hold: the assignment reaches the
// prototype's `set`), sets its limit, and keeps it as the pool's own property, as the pool would have.
// The pool deletes the key when its last torrent goes; the next socket for that URL passes here again.
import type { EventEmitter } from 'node:events';
import WebSocketTracker from 'bittorrent-tracker/websocket-tracker';

/** Listeners per torrent and event at most: its own, and an announce waiting for the socket to connect. */
export const LISTENERS_PER_TORRENT = 2;

let limit = 0;

/** The limit each pooled tracker socket gets: `torrents` announcing at once (every torrent of the process). */
export function trackerSocketLimitOf(torrents: number): number {
  return LISTENERS_PER_TORRENT * torrents + 1; // +1: the torrent that opened the socket waits for 'connect' once more
}

/**
 * Makes every pooled tracker socket of this process, present and future, accept the listeners of
 * `torrents` torrents (the largest asked for wins: several nodes of one process share the pool).
 */
export function allowTrackerSocketListeners(torrents: number): void {
  const pool = WebSocketTracker._socketPool;
  const installed = limit > 0;
  limit = Math.max(limit, trackerSocketLimitOf(torrents));
  for (const socket of Object.values(pool)) socket.setMaxListeners(limit);
  if (installed) return;
  const seen = new Proxy(Object.getPrototypeOf(pool) as object, {
    set(_target, key, value: unknown, receiver: object) {
      if (key !== '__proto__' && typeof (value as EventEmitter | null)?.setMaxListeners === 'function') {
        (value as EventEmitter).setMaxListeners(limit);
      }
      Object.defineProperty(receiver, key, { value, writable: true, enumerable: true, configurable: true });
      return true;
    },
  });
  Object.setPrototypeOf(pool, seen);
}
