// Opens the device's camera for the QR scanner (getUserMedia, the back camera where there is one) and
// turns the browser's refusals into sentences a person can act on: refused, absent, busy, or a page the
// browser gives no camera to (cameras need a secure context: https, localhost, 127.0.0.1).
export class CameraError extends Error {
  override readonly name = 'CameraError';
}

/** Every problem ends with the way that needs no camera. */
const PASTE = 'paste the address or link into Recipient';
const PASTE_INSTEAD = `${PASTE.charAt(0).toUpperCase()}${PASTE.slice(1)} instead.`;

/** A live video stream; throws CameraError saying why there is none. The caller stops its tracks. */
export async function openCamera(): Promise<MediaStream> {
  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
    throw new CameraError(
      `This page cannot use a camera here: browsers allow it only on https pages. ${PASTE_INSTEAD}`,
    );
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: 'environment' } },
      audio: false,
    });
  } catch (err) {
    throw new CameraError(cameraProblem(err));
  }
}

function cameraProblem(err: unknown): string {
  const name = err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `The camera was refused. Allow it for this page in the browser's site settings and scan again, or ${PASTE}.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No camera was found on this device. ${PASTE_INSTEAD}`;
    case 'NotReadableError':
    case 'AbortError':
      return `The camera could not be started: another app may be using it. Close that app and scan again, or ${PASTE}.`;
    default:
      return `The camera could not be started (${err instanceof Error ? err.message || name : String(err)}). ${PASTE_INSTEAD}`;
  }
}
