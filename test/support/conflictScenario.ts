// A small real ledger with every status in it, for the read-side tests (src/ledger/txDetail.ts,
// src/ledger/ledgerGraph.ts): the genesis pays Alice, then tries to pay Bob the same tokens (a conflict);
// Bob spends the conflict anyway (parent-rejected); Alice pays Carol with a memo; Carol pays Dave from a
// transaction this node never received (an orphan); and some bytes that are not JSON (malformed).
import { hexToBytes } from '../../src/core/hex.ts';
import { Ledger } from '../../src/core/ledger.ts';
import { encodeWithId, signTx, type EncodedTx, type KeyPair } from '../../src/core/makeTx.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { GENESIS_TIME, makeTestNetwork, pay, personNamed, type TestNetwork } from './testNetwork.ts';

export const SCENARIO_MEMO = 'for the <b>flowers</b> & "tea"';

export interface ConflictScenario {
  readonly net: TestNetwork;
  readonly store: MemoryLedgerStore;
  readonly people: Record<'alice' | 'bob' | 'carol' | 'dave', KeyPair>;
  /** genesis → toAlice (accepted) → aliceToCarol (accepted, with memo) */
  readonly toAlice: EncodedTx;
  readonly aliceToCarol: EncodedTx;
  /** genesis → toBob (conflict, lost to toAlice) → bobSpends (invalid: parent-rejected) */
  readonly toBob: EncodedTx;
  readonly bobSpends: EncodedTx;
  /** unknownParent (never received) → orphan (held) */
  readonly unknownParent: EncodedTx;
  readonly orphan: EncodedTx;
  readonly malformed: { id: string; bytes: Uint8Array };
}

export async function makeConflictScenario(): Promise<ConflictScenario> {
  const net = makeTestNetwork(1_000_000);
  const people = {
    alice: personNamed('alice'),
    bob: personNamed('bob'),
    carol: personNamed('carol'),
    dave: personNamed('dave'),
  };
  const toAlice = pay(net.owner, people.alice, 600_000, net.genesis.id);
  const toBob = pay(net.owner, people.bob, 600_000, net.genesis.id, GENESIS_TIME + 2000);
  const bobSpends = pay(people.bob, people.dave, 10, toBob.id, GENESIS_TIME + 3000);
  const aliceToCarol = encodeWithId(
    signTx(
      {
        tokens: 100,
        to: people.carol.address,
        key: people.alice.publicKey,
        time: GENESIS_TIME + 4000,
        prev: toAlice.id,
        memo: SCENARIO_MEMO,
      },
      hexToBytes(people.alice.secretKey),
    ),
  );
  const unknownParent = pay(net.owner, people.carol, 5, net.genesis.id, GENESIS_TIME + 5000);
  const orphan = pay(people.carol, people.dave, 5, unknownParent.id, GENESIS_TIME + 6000);
  const malformedBytes = encodeUtf8('not json at all');
  const malformed = { id: txIdOf(malformedBytes), bytes: malformedBytes };

  const store = new MemoryLedgerStore();
  const ledger = new Ledger(store, net.params);
  await ledger.receive(
    [net.genesis, toAlice, toBob, bobSpends, aliceToCarol, orphan, malformed].map((t) => t.bytes),
    GENESIS_TIME + 10_000,
  );
  return { net, store, people, toAlice, aliceToCarol, toBob, bobSpends, unknownParent, orphan, malformed };
}
