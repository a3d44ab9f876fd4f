import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Committee, isAboveValidity, isQuorum, splitShards } from './committee.ts';
import { ConfirmationMessageError, decodeConfirmation, encodeConfirmation } from './messages.ts';

describe('splitShards', () => {
  it('gives contiguous ranges that differ by at most one shard', () => {
    expect(splitShards(10, 4)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 8 },
      { start: 8, end: 10 },
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 5000 }), fc.integer({ min: 1, max: 64 }), (n, nodes) => {
        fc.pre(nodes <= n);
        const ranges = splitShards(n, nodes);
        expect(ranges[0]?.start).toBe(0);
        expect(ranges.at(-1)?.end).toBe(n);
        ranges.forEach((r, i) => i > 0 && expect(r.start).toBe(ranges[i - 1]?.end));
        const sizes = ranges.map((r) => r.end - r.start);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
    expect(() => splitShards(4, 5)).toThrow(/every node needs a shard/);
  });
});

describe('weights', () => {
  it('uses Walrus’s quorum and validity thresholds by shard weight', () => {
    expect(isQuorum(667, 1000)).toBe(true);
    expect(isQuorum(666, 1000)).toBe(false);
    expect(isQuorum(7, 10)).toBe(true);
    expect(isQuorum(6, 10)).toBe(false);
    expect(isAboveValidity(334, 1000)).toBe(true);
    expect(isAboveValidity(333, 1000)).toBe(false);
  });

  it('builds LSB-first signer bitmaps and finds shard owners', () => {
    const members = splitShards(1000, 10).map((shards, index) => ({ index, nodeId: `0x${index}`, publicKey: new Uint8Array(48), shards }));
    const committee = new Committee(1000, members);
    expect(committee.signersToBitmap([0, 2, 9])).toEqual(Uint8Array.of(0b0000_0101, 0b0000_0010));
    expect(committee.ownerOfShard(999).index).toBe(9);
    expect(committee.weightOfAll([0, 0, 1])).toBe(200);
    expect(() => committee.signersToBitmap([10])).toThrow(RangeError);
  });
});

describe('storage confirmation messages', () => {
  it('encodes 40 (permanent) and 72 (deletable) bytes and decodes them back', () => {
    const blobId = new Uint8Array(32).fill(9);
    const permanent = encodeConfirmation({ epoch: 258, blobId, persistence: { type: 'permanent' } });
    expect(Array.from(permanent.subarray(0, 7))).toEqual([1, 0, 3, 2, 1, 0, 0]);
    expect(permanent).toHaveLength(40);
    expect(decodeConfirmation(permanent)).toEqual({ epoch: 258, blobId, persistence: { type: 'permanent' } });
    const objectId = `0x${'ab'.repeat(32)}`;
    const deletable = encodeConfirmation({ epoch: 1, blobId, persistence: { type: 'deletable', objectId } });
    expect(deletable).toHaveLength(72);
    expect(decodeConfirmation(Uint8Array.from([...deletable, 1, 2, 3]))).toEqual({ epoch: 1, blobId, persistence: { type: 'deletable', objectId } });
  });

  it('rejects anything else with the Move abort name, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        try {
          decodeConfirmation(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfirmationMessageError);
        }
      }),
      { numRuns: 2000 },
    );
    const good = encodeConfirmation({ epoch: 1, blobId: new Uint8Array(32), persistence: { type: 'permanent' } });
    const abortFor = (at: number, value: number) => {
      try {
        decodeConfirmation(Uint8Array.from(good, (b, i) => (i === at ? value : b)));
        return 'ok';
      } catch (error) {
        return (error as ConfirmationMessageError).abort;
      }
    };
    expect([abortFor(0, 2), abortFor(1, 1), abortFor(2, 2), abortFor(39, 1), abortFor(39, 2)]).toEqual([
      'EInvalidMsgType',
      'EIncorrectIntentVersion',
      'EIncorrectAppId',
      'EInvalidBlobPersistenceType',
      'EInvalidBlobPersistenceType',
    ]);
  });
});
