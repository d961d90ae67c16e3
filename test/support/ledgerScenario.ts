// A small ledger history with every kind of record, for store tests: accepted payments, a conflict, a
// parent-rejected child, invalid bytes, a wrong owner, an orphan and a future, in two phases (the
// second resolves the orphan; a later clock decides the future).
import { hexToBytes } from '../../src/core/hex.ts';
import { encodeWithId, signTx } from '../../src/core/makeTx.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { GENESIS_TIME, makeTestNetwork, pay, personNamed, type TestNetwork } from './testNetwork.ts';

export interface LedgerScenario {
  readonly net: TestNetwork;
  /** Receive calls of phase 1 and phase 2, all at `now`; then advance the clock to `later`. */
  readonly phase1: Uint8Array[][];
  readonly phase2: Uint8Array[][];
  readonly now: number;
  readonly later: number;
}

export function ledgerScenario(): LedgerScenario {
  const net = makeTestNetwork();
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(personNamed) as [
    ReturnType<typeof personNamed>,
    ReturnType<typeof personNamed>,
    ReturnType<typeof personNamed>,
  ];
  const now = GENESIS_TIME + 60 * 60 * 1000;
  const g = net.genesis.id;
  const toAlice = pay(net.owner, alice, 600_000, g);
  const toBob = pay(net.owner, bob, 300_000, g);
  const doubleSpend = pay(net.owner, carol, 300_000, g); // conflicts with toBob (fees may apply)
  const fromAlice = pay(alice, bob, 1_000, toAlice.id);
  const childOfConflict = pay(carol, alice, 10, doubleSpend.id);
  const wrongOwner = pay(bob, carol, 5, toAlice.id);
  const hidden = pay(alice, carol, 2_000, toAlice.id); // the parent of the orphan, sent in phase 2
  const orphan = pay(carol, bob, 100, hidden.id);
  const future = encodeWithId(
    signTx(
      { tokens: 50, to: carol.address, key: bob.publicKey, time: now + 60 * 60 * 1000, prev: toBob.id },
      hexToBytes(bob.secretKey),
    ),
  );
  const garbage = encodeUtf8('{"not":"a tx"}');
  const tooLarge = new Uint8Array(1500).fill(0x20);
  return {
    net,
    now,
    later: now + 2 * 60 * 60 * 1000,
    phase1: [
      [net.genesis.bytes],
      [toAlice.bytes, toBob.bytes, doubleSpend.bytes],
      [
        fromAlice.bytes,
        childOfConflict.bytes,
        wrongOwner.bytes,
        garbage,
        tooLarge,
        orphan.bytes,
        future.bytes,
      ],
      [toAlice.bytes],
    ],
    phase2: [[hidden.bytes, pay(bob, alice, 7, fromAlice.id).bytes]],
  };
}
