// The fastVerifier test page: Chromium's own WebCrypto Ed25519, alone and behind the strict rules
// (src/ledger/webCryptoVerifier.ts), on the ed25519-speccheck cases and the crafted cases of
// test/support/fastVerifierCases.ts. Exposes `window.fastVerifierTest`.
import { fastStrictVerifier } from '../../../src/core/fastStrictVerifier.ts';
import { hexToBytes } from '../../../src/core/hex.ts';
import { webCryptoEd25519 } from '../../../src/ledger/webCryptoVerifier.ts';
import { fastVerifierCases } from '../../support/fastVerifierCases.ts';
import edge from '../../vectors/ed25519-edge.json';

export interface VerifierAnswer {
  readonly name: string;
  /** WebCrypto alone, or the error it threw. */
  readonly webCrypto: boolean | string;
  readonly fast: boolean;
  readonly expectedStrict: boolean;
  readonly expectedWebCrypto?: boolean;
}

export interface FastVerifierPageApi {
  /** Whether WebCrypto Ed25519 is there, and every case's answers. */
  run(): Promise<{ hasWebCrypto: boolean; answers: VerifierAnswer[] }>;
}

const api: FastVerifierPageApi = {
  async run() {
    const lax = await webCryptoEd25519();
    if (lax === undefined) return { hasWebCrypto: false, answers: [] };
    const verify = fastStrictVerifier(lax);
    const cases = [
      ...edge.cases.map((c) => ({
        name: `speccheck case ${c.case}`,
        signature: hexToBytes(c.signatureHex),
        message: hexToBytes(c.messageHex),
        publicKey: hexToBytes(c.publicKeyHex),
        strict: c.strict,
        webCrypto: undefined,
      })),
      ...fastVerifierCases(),
    ];
    const answers: VerifierAnswer[] = [];
    for (const c of cases) {
      const alone = await Promise.resolve(lax(c.signature, c.message, c.publicKey)).catch((err: unknown) =>
        String(err),
      );
      answers.push({
        name: c.name,
        webCrypto: alone,
        fast: await verify(c.signature, c.message, c.publicKey),
        expectedStrict: c.strict,
        ...(c.webCrypto === undefined ? {} : { expectedWebCrypto: c.webCrypto }),
      });
    }
    return { hasWebCrypto: true, answers };
  },
};

(window as unknown as { fastVerifierTest: FastVerifierPageApi }).fastVerifierTest = api;
