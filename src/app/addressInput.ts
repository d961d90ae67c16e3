// An address as a person typed, pasted or scanned it, in the form the protocol takes (PROTOCOL §3): no
// surrounding spaces, and lowercase when it came all in capitals. Bech32 allows an all-uppercase address
// (QR codes use it: it fits the smaller alphanumeric mode); a mixed-case one stays as it is and fails
// the check. The one place this normalisation is done: the send form and payment links call it.
export function normalizeAddress(text: string): string {
  const trimmed = text.trim();
  return trimmed === trimmed.toUpperCase() ? trimmed.toLowerCase() : trimmed;
}
