// The detail view's query (src/ledger/txDetail.ts) over a real core Ledger and the in-memory store:
// each status, the exact bytes as text, the fields, the figures, and the DAG neighbours, including who
// won a double spend.
import { beforeAll, describe, expect, it } from 'vitest';
import { addressOfKeyHex } from '../../src/core/address.ts';
import { txDetail } from '../../src/ledger/txDetail.ts';
import { makeConflictScenario, SCENARIO_MEMO, type ConflictScenario } from '../support/conflictScenario.ts';

let s: ConflictScenario;

beforeAll(async () => {
  s = await makeConflictScenario();
});

describe('txDetail', () => {
  it('gives an accepted payment its bytes, fields, figures, parent, children and the conflict it beat', async () => {
    const record = (await s.store.getTx(s.toAlice.id))!;
    const detail = (await txDetail(s.store, s.toAlice.id, s.people.alice))!;
    expect(detail).toMatchObject({
      id: s.toAlice.id,
      status: 'accepted',
      reason: null,
      detail: null,
      txJson: new TextDecoder().decode(s.toAlice.bytes),
      byteLength: s.toAlice.bytes.length,
      tokens: 600_000,
      to: s.people.alice.address,
      key: s.net.owner.publicKey,
      from: s.net.owner.address,
      memo: null,
      time: s.toAlice.tx.time,
      nonce: 0,
      mint: record.mint!.toString(),
      fee: record.fee!.toString(),
      value: record.value!.toString(),
      spent: '100',
      work: String(record.work),
      base: String(record.base),
      direction: 'in',
      parent: { id: s.net.genesis.id, status: 'accepted', tokens: 1_000_000 },
      children: [{ id: s.aliceToCarol.id, status: 'accepted', tokens: 100 }],
      conflictWith: [],
      wonAgainst: [{ id: s.toBob.id, status: 'conflict', tokens: 600_000 }],
      dueAt: null,
      arrival: 1,
    });
    // Plain data only: it crosses the worker boundary by structured clone, bigints as decimal strings.
    expect(structuredClone(detail)).toEqual(detail);
  });

  it('says which accepted sibling a conflict lost to, and lists its rejected child', async () => {
    const detail = (await txDetail(s.store, s.toBob.id, s.people.bob))!;
    expect(detail.status).toBe('conflict');
    expect(detail.direction).toBe('in');
    expect(detail.conflictWith).toEqual([{ id: s.toAlice.id, status: 'accepted', tokens: 600_000 }]);
    expect(detail.wonAgainst).toEqual([]);
    expect(detail.children).toEqual([{ id: s.bobSpends.id, status: 'invalid', tokens: 10 }]);
    expect(detail.value).toBeNull(); // only accepted transactions have a value to spend
  });

  it('gives an invalid transaction its reason and detail, and the direction of the wallet that sent it', async () => {
    const detail = (await txDetail(s.store, s.bobSpends.id, s.people.bob))!;
    expect(detail).toMatchObject({ status: 'invalid', reason: 'parent-rejected', direction: 'out' });
    expect(detail.parent).toEqual({ id: s.toBob.id, status: 'conflict', tokens: 600_000 });
  });

  it('keeps a memo as the exact text, in the fields and in tx.json', async () => {
    const detail = (await txDetail(s.store, s.aliceToCarol.id, s.people.carol))!;
    expect(detail.memo).toBe(SCENARIO_MEMO);
    expect(JSON.parse(detail.txJson!).memo).toBe(SCENARIO_MEMO);
    expect(detail.txJson).toContain('for the <b>flowers</b> & \\"tea\\"');
    expect(detail.from).toBe(addressOfKeyHex(s.people.alice.publicKey));
    expect(detail.direction).toBe('in');
  });

  it('shows an orphan waiting on a parent this node has not received', async () => {
    const detail = (await txDetail(s.store, s.orphan.id))!;
    expect(detail.status).toBe('orphan');
    expect(detail.parent).toEqual({ id: s.unknownParent.id, status: null, tokens: null });
    expect(detail.direction).toBeNull(); // no wallet given
    expect(detail.mint).toBeNull();
  });

  it('shows bytes that did not parse as text, with no fields', async () => {
    const detail = (await txDetail(s.store, s.malformed.id))!;
    expect(detail).toMatchObject({
      status: 'invalid',
      reason: 'malformed',
      txJson: 'not json at all',
      tokens: null,
      from: null,
      nonce: null,
      parent: null,
      children: [],
    });
    expect(detail.detail).toEqual(expect.any(String));
  });

  it('gives the genesis no parent and its children in first-seen order', async () => {
    const detail = (await txDetail(s.store, s.net.genesis.id, s.people.alice))!;
    expect(detail.parent).toBeNull();
    expect(detail.direction).toBeNull();
    expect(detail.children.map((c) => [c.id, c.status])).toEqual([
      [s.toAlice.id, 'accepted'],
      [s.toBob.id, 'conflict'],
    ]);
  });

  it('answers null for an id it has never received', async () => {
    expect(await txDetail(s.store, s.unknownParent.id)).toBeNull();
  });
});
