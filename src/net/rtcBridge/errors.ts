// Errors of the WebRTC bridge itself. Errors of the real WebRTC API cross the port by name and are
// rethrown in the worker as DOMExceptions of that name, as the browser would have thrown them.

/** The port to the host was closed: no connection can be made or driven any more. */
export class RtcBridgeClosedError extends Error {
  override readonly name = 'RtcBridgeClosedError';
}

/** A member of RTCPeerConnection the shim does not bridge (media: tracks, transceivers). */
export class RtcShimUnsupportedError extends Error {
  override readonly name = 'RtcShimUnsupportedError';
}
