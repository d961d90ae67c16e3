// The one error a reconciliation message from a peer can cause: the message breaks the protocol or one of
// its bounds. The caller disconnects the peer; an honest peer never causes it.

export class ReconcileProtocolError extends Error {
  override readonly name = 'ReconcileProtocolError';
}
