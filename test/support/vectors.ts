// Typed access to the independent implementation's vectors, copied unchanged from ../shared/vectors.
import v1Json from '../vectors/v1.json' with { type: 'json' };
import edgeJson from '../vectors/ed25519-edge.json' with { type: 'json' };
import powChainJson from '../vectors/v1-pow-chain.json' with { type: 'json' };
import { encodeUtf8 } from '../../src/core/utf8.ts';

export interface VectorPerson {
  seedText: string;
  secretKeyHex: string;
  publicKeyHex: string;
  address: string;
}

export interface VectorTx {
  id: string;
  text: string;
  signingMessageHex: string;
  infoDictHex: string;
  workBaseHex: string;
  powHashHex: string;
  work: number;
}

export interface VectorFinal {
  name: string;
  id: string;
  status: string;
  reason?: string;
  mint?: number;
  fee?: number;
  value?: number;
}

export interface V1 {
  people: Record<string, VectorPerson>;
  genesisId: string;
  powUnit: number;
  transactions: Record<string, VectorTx>;
  replay: {
    lines: { name: string; text: string }[];
    final: VectorFinal[];
    balances: Record<string, number>;
  };
}

export interface EdgeCase {
  case: number;
  messageHex: string;
  publicKeyHex: string;
  signatureHex: string;
  strict: boolean;
  zip215: boolean;
  node20WebCrypto: boolean;
}

/** v1-pow-chain.json: 11 hops mined to chosen work plus a side branch, for the §6 ancestor window. */
export interface PowChain {
  about: string;
  genesisId: string;
  powUnit: number;
  lines: string[];
  final: { id: string; work: number; status: string; mint?: number; fee?: number; value?: number }[];
  balances: Record<string, number>;
}

export const v1 = v1Json as V1;
export const powChain = powChainJson as PowChain;
export const edgeCases = (edgeJson as { cases: EdgeCase[] }).cases;
export const replayBytes = (): Uint8Array[] => v1.replay.lines.map((line) => encodeUtf8(line.text));
