// The magnet link of a transaction: its id is the infohash of its torrent (PROTOCOL §1), so any
// BitTorrent client given this link and one of the network's trackers can fetch its tx.json.

/** `magnet:?xt=urn:btih:<id>&dn=tx&tr=<tracker>…`; the folder is named `tx`, so that is its name. */
export function magnetLink(id: string, trackers: readonly string[]): string {
  const parts = [`xt=urn:btih:${id}`, 'dn=tx', ...trackers.map((t) => `tr=${encodeURIComponent(t)}`)];
  return `magnet:?${parts.join('&')}`;
}
