// Range-based set reconciliation (src/net/sync) between honest peers: it finds exactly the difference,
// matches the reference implementation's bytes, stays inside its frame limit, and costs a few KB to find
// one missing tx among 100,000 (issue 7's target: ≤ 16 KB both ways).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { Reconciler } from '../../src/net/sync/reconciler.ts';
import { DEFAULT_FRAME_SIZE_LIMIT, MIN_FRAME_SIZE_LIMIT } from '../../src/net/sync/syncProtocol.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';
import { hexIdOf, randomPackedItems, runSession, setOf } from '../support/reconcileSession.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const sorted = (ids: Iterable<string>): string[] => [...ids].sort();

// Vectors from the reference implementation (hoytech/negentropy, js/Negentropy.js at 6edb041, frame size
// limit 0), run once by hand: 40 items, id i = SHA-256("ttx " + i), time 1000 + ⌊i/4⌋ (four items per
// time, so bounds carry id prefixes).
const vectorItems = Array.from({ length: 40 }, (_, i) => ({
  time: 1000 + Math.floor(i / 4),
  id: createHash('sha256').update(`ttx ${i}`).digest('hex'),
}));
/** The reference's first message for those items. */
const INITIATE_32 =
  '61876901f301ba759cfd911f453ae831d6d1070cddde02015f017bcb813710d00bee1315ded2b4e91a0002016301ee08b703ad68ee844d84672e55385717020001d22d6697b56078a338e4117a7b9c2c7a0101cb01a8416cbb0c007ba0e5642e7c56b4f9e8020196010e76a53120931757b136a6902d4aedaf020139012b34193369f95176540b0c80210474300200013b3c30ddc989b4622ab84a58651d39280101d601d067fa177bc6307b44527dc114c0df9c020001eaadc493468633a344baa97167dcff8b0101e001e0d7a6fd8917850e65a4b63b89d1435b0200017ce22b898fb7abffc7ddf5f7479115fb01014c01f3f8bb95211db63383327c354b81972b0200010dc156ad116c913d43c3b750d97126c20101c40183f088beeb2b7c2cfcac1c0776b0f25a000001a65e5b23df0afecac156cddb400302c8';
/** The reference's answer to it from the first 28 of the items i where i = 0 or i mod 3 ≠ 0. */
const REPLY_32 =
  '61876901f30002015f02011637b0b2cf6e2c366a22bfcbc79d67918983c2f8277fda371448d6b157c523ba020163000200020263ae3f8410442188380e89189c35d1bd0ca5d77688149a746aba48fe42483cb3a633603075b3b2b4e535b480cb5293c70396c116ce25dbd6277eebd5d37d54ef0101cb02023af40d2432ff617accea02c815af1b836540c731b1bd16b53e112561da98cb6dc4353f49dee50156bb35d4f634cd63f458e79c8c3baf80ad2ab448443cb1268b020196020105e778b0765ea3dadab98f580cc21a3fb7316653f1574fbb13707867e3ad67ec0201390002000202393401414c77060a5d3de9a1bd6b435e04e9c5d07f35208b76e725a09c0171fa4682ab2ceedfff61c073697c4e549b5c0aa8e0991c6cb022f9ed4f63d16c82800101d60201d0112441f1d4bb4ae1781d88346458ea5f7ef3a1fbabfe332aae18bb1818e8ce02000201d6a3facb58bcda4ffafff885cff5f857d3d15d3d387c7bda75c262220c042e620101e00201b837ebcd80639c3d620764a0b7e5bb8eada71c721812760cab1453f94564ec2902000001014c0201013f6a3bc2b45f177579e8797ba61bdd3f61c08deef528833f5f28885e6187630200000101c40201447df90f57594381283d64063e33d1a457c449b68ba37f069c7590edddf603e200000201c448adf19006dc9774183e526c82dc8c2a00f22bd32c57ab547c19a4764c1a71';
/** The reference's first message for the same items with ids cut to 20 bytes and padded with 12 zeros. */
const INITIATE_20_PADDED =
  '61876901f3014ae892a66f17599d0f4117ec8ad9a11102015f015f42546f623a87c709ada1463ea306f802016301d229e7ab69be5b15b21990b74bfb44230200018a424ee0d3c8d6abf955168c45bd49a30101cb017989c71dec0386f56f00686740018db002019601e997d11a2688f9f4d4d5c66d5590b09602013901d6bdbf50430d3d03384953b06a937b3a0200012430681de3177b9f586d951fd5b5f80b0101d601ffe2056f6bbca28577043b3984a8021c0200013576dabe7cc4045c091d4da2e9cd0a9a0101e001ef74eb580dd020b1c2eaa6c19bd00b26020001798f6ca04c1f485b5d206783fab7737a01014c0136797ac3b8816a263acd0f44fb517f12020001d4918e6d9ece6ea5b5ad419fe93dd9810101c40117b1d232489e5ce567b18c9d4ab50764000001a3b5a9c4c432f6ef1561166059a05dc2';

describe('reference vectors (Negentropy v1)', () => {
  const responderItems = vectorItems.filter((_, i) => i === 0 || i % 3 !== 0).slice(0, 28);

  it('writes the same first message as the reference, with 32-byte ids', () => {
    const initiator = new Reconciler(SyncSet.fromItems(vectorItems, 32));
    expect(hex(initiator.initiate())).toBe(INITIATE_32);
  });

  it('answers it as the reference does, id lists included, and the initiator learns the 12 missing', () => {
    const responder = new Reconciler(SyncSet.fromItems(responderItems, 32));
    expect(hex(responder.respond(Buffer.from(INITIATE_32, 'hex')))).toBe(REPLY_32);
    const initiator = new Reconciler(SyncSet.fromItems(vectorItems, 32));
    initiator.initiate();
    const result = initiator.reconcile(Buffer.from(REPLY_32, 'hex'));
    expect(result.reply).toBeNull();
    const missing = vectorItems.filter((item) => !responderItems.includes(item)).map((item) => item.id);
    expect(sorted(result.have)).toEqual(sorted(missing));
    expect(result.need).toEqual([]);
  });

  it('with 20-byte ids writes what the reference writes for the ids padded to 32 bytes', () => {
    const items20 = vectorItems.map((item) => ({ time: item.time, id: item.id.slice(0, 40) }));
    const initiator = new Reconciler(SyncSet.fromItems(items20));
    expect(hex(initiator.initiate())).toBe(INITIATE_20_PADDED);
  });
});

const itemArb = (timeSpan: number) =>
  fc.record({
    time: fc.integer({ min: 0, max: timeSpan }),
    id: fc.uint8Array({ minLength: 20, maxLength: 20 }).map(bytesToHex),
  });

describe('honest peers', () => {
  it('the initiator learns exactly both differences, within the frame limit, for random sets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(3, 1000, Number.MAX_SAFE_INTEGER), // small spans put many items on one time
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom(MIN_FRAME_SIZE_LIMIT, 5000, DEFAULT_FRAME_SIZE_LIMIT),
        fc.integer(),
        (span, shared, onlyInitiator, onlyResponder, frameSizeLimit, seed) => {
          const items = fc.sample(itemArb(span), { numRuns: shared + onlyInitiator + onlyResponder, seed });
          const dedup = [...new Map(items.map((item) => [item.id, item])).values()];
          const a = dedup.slice(0, shared + onlyInitiator);
          const b = [...dedup.slice(0, shared), ...dedup.slice(shared + onlyInitiator)];
          const figures = runSession(SyncSet.fromItems(a), SyncSet.fromItems(b), { frameSizeLimit });
          expect(sorted(figures.have)).toEqual(sorted(a.slice(shared).map((item) => item.id)));
          expect(sorted(figures.need)).toEqual(sorted(b.slice(shared).map((item) => item.id)));
          expect(figures.largestMessage).toBeLessThanOrEqual(frameSizeLimit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('identical sets are done in one round', () => {
    for (const size of [0, 1, 31, 32, 10_000]) {
      const items = randomPackedItems(size);
      const figures = runSession(
        setOf(items, () => true),
        setOf(items, () => true),
      );
      expect(figures).toMatchObject({ rounds: 1, have: [], need: [] });
    }
  });

  it('a set that grows between rounds still ends, and reports only real differences', () => {
    const items = randomPackedItems(20_000);
    const extra = randomPackedItems(50);
    const initiatorSet = setOf(items, (i) => i % 100 !== 0);
    const responderSet = setOf(items, (i) => i % 77 !== 0);
    const figures = runSession(initiatorSet, responderSet, {}, (round) => {
      for (let i = round - 1; i < 50; i += 5)
        responderSet.insert(extra.times[i] as number, hexIdOf(extra, i));
    });
    const indexes = Array.from({ length: 20_000 }, (_, i) => i);
    const initiatorOnly = new Set(
      indexes.filter((i) => i % 77 === 0 && i % 100 !== 0).map((i) => hexIdOf(items, i)),
    );
    const responderOnly = new Set(
      indexes.filter((i) => i % 100 === 0 && i % 77 !== 0).map((i) => hexIdOf(items, i)),
    );
    const extraIds = new Set(Array.from({ length: 50 }, (_, i) => hexIdOf(extra, i)));
    // Every difference that was there from the start is found; an item added mid-session may or may not be.
    expect(sorted(figures.have)).toEqual(sorted(initiatorOnly));
    expect(sorted(figures.need.filter((id) => !extraIds.has(id)))).toEqual(sorted(responderOnly));
  });
});

describe('100,000 items', () => {
  const items = randomPackedItems(100_000);
  const all = setOf(items, () => true);
  const report = (name: string, figures: ReturnType<typeof runSession>): void => {
    const total = figures.bytesToResponder + figures.bytesToInitiator;
    console.log(
      `${name}: ${figures.rounds} rounds, ${figures.bytesToResponder} B to responder + ` +
        `${figures.bytesToInitiator} B to initiator = ${total} B, largest message ${figures.largestMessage} B`,
    );
  };

  it('one missing on either side is found in a few rounds and ≤ 16 KiB both ways', () => {
    const missing = 61_234;
    const without = setOf(items, (i) => i !== missing);
    for (const [name, initiator, responder] of [
      ['1 of 100k missing at the initiator', without, all],
      ['1 of 100k missing at the responder', all, without],
    ] as const) {
      const figures = runSession(initiator, responder);
      report(name, figures);
      expect(initiator === without ? figures.need : figures.have).toEqual([hexIdOf(items, missing)]);
      expect(initiator === without ? figures.have : figures.need).toEqual([]);
      expect(figures.bytesToResponder + figures.bytesToInitiator).toBeLessThanOrEqual(16 * 1024);
      expect(figures.rounds).toBeLessThanOrEqual(5);
    }
  });

  it('1,000 missing and 100,000 vs 0 or 99,000 work over several rounds, every message in the frame', () => {
    const cases = [
      ['1,000 of 100k missing at the initiator', setOf(items, (i) => i % 100 !== 7), all, 1000],
      ['0 vs 100k', SyncSet.empty(), all, 100_000],
      ['100k vs 0', all, SyncSet.empty(), 100_000],
      ['1,000 newest of 100k missing at the initiator', setOf(items, (i) => i < 99_000), all, 1000],
    ] as const;
    for (const [name, initiator, responder, difference] of cases) {
      const figures = runSession(initiator, responder);
      report(name, figures);
      expect(figures.have.length + figures.need.length).toBe(difference);
      expect(new Set([...figures.have, ...figures.need]).size).toBe(difference);
      expect(figures.largestMessage).toBeLessThanOrEqual(DEFAULT_FRAME_SIZE_LIMIT);
    }
  });
});
