// webtorrent ships no types: the node types what it uses in src/net/webTorrentTypes.ts and declares the
// modules here as constructors of that shape.
declare module 'webtorrent' {
  import type { WebTorrentConstructor } from '../src/net/webTorrentTypes.ts';
  const WebTorrent: WebTorrentConstructor;
  export default WebTorrent;
}

declare module 'webtorrent/dist/webtorrent.min.js' {
  import type { WebTorrentConstructor } from '../src/net/webTorrentTypes.ts';
  const WebTorrent: WebTorrentConstructor;
  export default WebTorrent;
}
