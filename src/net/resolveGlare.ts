// Glare in the network swarm: when two nodes announce at nearly the same time, the tracker hands each
// the other's offer; both answer, both then get the answer to their own offer, and webtorrent drops that
// second connection to the same peer id as a duplicate, on both sides: each node keeps the connection
// the other dropped, and neither works. This wraps a torrent's addPeer so that both nodes keep the same
// one of the two pending connections: the one the lower peer id initiated.

interface PendingPeer {
  readonly connected: boolean;
  readonly conn?: { readonly initiator?: boolean };
}

interface GlareTorrent {
  addPeer(peer: unknown, source?: unknown): unknown;
  removePeer(id: string): void;
  readonly _peers: Map<string, PendingPeer>;
}

export function resolveGlare(torrent: unknown, ownPeerId: string): void {
  const target = torrent as GlareTorrent;
  const addPeer = target.addPeer.bind(target);
  target.addPeer = (peer: unknown, source?: unknown) => {
    const incoming = peer as { id?: unknown; initiator?: unknown } | null;
    if (incoming && typeof incoming === 'object' && typeof incoming.id === 'string') {
      const existing = target._peers.get(incoming.id);
      const initiatedByMe = incoming.initiator === true;
      if (existing && !existing.connected && existing.conn && existing.conn.initiator !== initiatedByMe) {
        const iAmLower = ownPeerId < incoming.id;
        // Keep the connection the lower id initiated: drop the pending one, the new one then registers.
        if (initiatedByMe === iAmLower) target.removePeer(incoming.id);
      }
    }
    return addPeer(peer, source);
  };
}
