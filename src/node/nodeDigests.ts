// SHA-1 and SHA-256 from node:crypto (OpenSSL) for the stateless facts of received transactions (the id,
// the pin, the work: src/core/checkTx.ts Digests). The same digests as noble's; measured on this
// project's 2-core machine, noble's took ~20–25 µs of the ~165 µs a transaction's checks cost on a
// checker thread, a sixth of it, for five short hashes.
import { hash } from 'node:crypto';
import type { Digests } from '../core/checkTx.ts';

export const nodeDigests: Digests = {
  sha1: (data) => hash('sha1', data, 'buffer') as unknown as Uint8Array,
  sha256: (data) => hash('sha256', data, 'buffer') as unknown as Uint8Array,
};
