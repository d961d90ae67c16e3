// The host's half of relay mode (the worker's half is relayChannel.ts): a data channel the browser
// cannot transfer (Firefox throws DataCloneError) stays on the main thread, and its traffic crosses the
// port. The host forwards each message both ways and reports how many of the worker's bytes it has
// handed to the real channel, with that channel's bufferedAmount, so the worker's bufferedAmount stays
// an upper bound and webtorrent's backpressure still works.
//
// Bounds: one entry per relayed channel, dropped on the channel's `close` or when the host closes; the
// host is trusted (same app), and the number of channels is bounded by the connections webtorrent makes.
import { byteLength, errorInfo } from './hostSnapshots.ts';
import type { RtcChannelInfo, RtcHostMessage } from './protocol.ts';

type Send = (message: RtcHostMessage, transfer?: Transferable[]) => void;

/** Counters the host's stats include. */
export interface RelayCounters {
  channelsRelayed: number;
  /** Channel messages that passed through this thread, both ways. */
  relayedMessages: number;
  relayedBytes: number;
}

interface RelayedChannel {
  readonly channel: RTCDataChannel;
  /** Bytes sent on behalf of the worker since it was last told. */
  acked: number;
  ackScheduled: boolean;
}

export class RelayHost {
  readonly #relays = new Map<number, RelayedChannel>();
  readonly #send: Send;
  readonly #counters: RelayCounters;

  constructor(send: Send, counters: RelayCounters) {
    this.#send = send;
    this.#counters = counters;
  }

  /** Keeps `channel` here and announces it to the worker as relayed channel `ch`. */
  relay(pcId: number, ch: number, channel: RTCDataChannel, announced: boolean, info: RtcChannelInfo): void {
    const relayed: RelayedChannel = { channel, acked: 0, ackScheduled: false };
    this.#relays.set(ch, relayed);
    this.#counters.channelsRelayed++;
    channel.binaryType = 'arraybuffer';
    channel.addEventListener('open', () => this.#send({ kind: 'relayOpen', ch, id: channel.id }));
    channel.addEventListener('message', (event: MessageEvent<string | ArrayBuffer>) => {
      const data = event.data;
      this.#counters.relayedMessages++;
      this.#counters.relayedBytes += byteLength(data);
      this.#send({ kind: 'relayMessage', ch, data }, data instanceof ArrayBuffer ? [data] : []);
    });
    channel.addEventListener('bufferedamountlow', () => this.#reportBuffered(ch, relayed));
    channel.addEventListener('error', (event) =>
      this.#send({ kind: 'relayError', ch, error: errorInfo((event as RTCErrorEvent).error) }),
    );
    channel.addEventListener('closing', () => this.#send({ kind: 'relayClosing', ch }));
    channel.addEventListener('close', () => {
      this.#relays.delete(ch);
      this.#send({ kind: 'relayClose', ch });
    });
    this.#send({ kind: 'channel', pc: pcId, ch, announced, channel: null, info });
  }

  /** Sends the worker's data on channel `ch`. */
  send(ch: number, data: string | ArrayBuffer | Blob): void {
    const relayed = this.#relays.get(ch);
    if (relayed === undefined) return;
    const size = byteLength(data);
    try {
      if (typeof data === 'string') relayed.channel.send(data);
      else if (data instanceof Blob) relayed.channel.send(data);
      else relayed.channel.send(data);
    } catch (err) {
      this.#send({ kind: 'relayError', ch, error: errorInfo(err) });
    }
    this.#counters.relayedMessages++;
    this.#counters.relayedBytes += size;
    relayed.acked += size;
    // One report per burst of sends, not per message: a port message is a task of its own in the
    // worker, so a zero-delay timer runs after the burst that is already queued.
    if (!relayed.ackScheduled) {
      relayed.ackScheduled = true;
      setTimeout(() => {
        relayed.ackScheduled = false;
        if (relayed.acked > 0) this.#reportBuffered(ch, relayed);
      }, 0);
    }
  }

  close(ch: number): void {
    this.#relays.get(ch)?.channel.close();
  }

  setThreshold(ch: number, threshold: number): void {
    const relayed = this.#relays.get(ch);
    if (relayed !== undefined) relayed.channel.bufferedAmountLowThreshold = threshold;
  }

  /** Forgets every channel; their connections are closed by the host. */
  clear(): void {
    this.#relays.clear();
  }

  #reportBuffered(ch: number, relayed: RelayedChannel): void {
    this.#send({
      kind: 'relayBuffered',
      ch,
      acked: relayed.acked,
      bufferedAmount: relayed.channel.bufferedAmount,
    });
    relayed.acked = 0;
  }
}
