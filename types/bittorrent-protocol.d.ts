// bittorrent-protocol ships no types. Tests build real Wire pairs with it (webtorrent's own wire class);
// this declares the slice they use.
declare module 'bittorrent-protocol' {
  import type { GossipWire } from '../src/net/txGossip.ts';
  export default class Wire implements GossipWire {
    constructor(type?: string, peEnabled?: number);
    extendedHandshake: Record<string, unknown>;
    peerExtendedHandshake: Record<string, unknown>;
    peerId?: string;
    readonly destroyed: boolean;
    handshake(infoHash: string, peerId: string, extensions?: Record<string, boolean>): void;
    use(extension: unknown): void;
    extended(name: string | number, payload: Uint8Array): void;
    piece(index: number, offset: number, block: Uint8Array): void;
    keepAlive(): void;
    pipe<T>(destination: T): T;
    destroy(): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    once(event: string, listener: (...args: unknown[]) => void): this;
    /** Sends raw bytes to the peer (private in bittorrent-protocol; tests use it to forge messages). */
    _push(bytes: Uint8Array): boolean;
    /** Bytes received and not yet parsed (private; tests read it to see what a wire buffered). */
    readonly _bufferSize: number;
  }
}
