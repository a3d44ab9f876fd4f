import { describe, expect, it } from 'vitest';
import { assessBlobObject, epochsForWindow, judgeBlobObject, normalizeType } from './availability.ts';
import type { BlobObject, WalrusEpoch } from './types.ts';

const PKG = '0xfdc88f7d7cf30afab2f82e8380d11ee8f70efb90e863d1de8616fae1bb09ea77';
const quiltId = new Uint8Array(32).fill(7);
const objectId = new Uint8Array(32).fill(9);
const epoch: WalrusEpoch = { epoch: 5, nShards: 1000, epochDurationMs: 1000, firstEpochStartMs: 10_000 };
const good: BlobObject = {
  objectId,
  type: `${PKG}::blob::Blob`,
  blobId: quiltId,
  size: 100,
  registeredEpoch: 4,
  certifiedEpoch: 4,
  startEpoch: 4,
  endEpoch: 9,
  storageSize: 66_034_000,
  deletable: false,
};
const assess = (object: BlobObject | undefined, min = 0) =>
  assessBlobObject(object, { objectId, quiltId }, `${PKG}::blob::Blob`, epoch, { minRemainingEpochs: min });

describe('assessBlobObject', () => {
  it('passes a certified permanent blob that has not expired, with the facts', () => {
    const step = assess(good);
    expect(step.ok).toBe(true);
    expect(step.reason).toBe('certified in epoch 4, permanent, available until epoch 9 (current 5)');
    expect(step.facts).toMatchObject({ remainingEpochs: 4, availableUntilMs: 18_000, certifiedEpoch: 4 });
  });

  it.each([
    ['missing object', undefined, /^Sui has no object 0x0909/],
    ['wrong type', { ...good, type: '0x2::coin::Coin' }, /has type 0x2::coin::Coin, not 0xfdc8/],
    ['wrong blob', { ...good, blobId: new Uint8Array(32).fill(8) }, /holds blob .* not the quilt/],
    ['uncertified', { ...good, certifiedEpoch: null }, /registered but not certified/],
    ['deletable', { ...good, deletable: true }, /is deletable/],
    ['expired', { ...good, endEpoch: 5 }, /blob expired: current epoch 5 is not before end epoch 5/],
  ] as const)('fails a %s', (_, object, reason) => {
    const step = assess(object);
    expect(step.ok).toBe(false);
    expect(step.reason).toMatch(reason);
  });

  it('enforces a minimum remaining window', () => {
    expect(assess(good, 4).ok).toBe(true);
    expect(assess(good, 5).reason).toBe('only 4 epochs remain before end epoch 9; at least 5 are required');
  });

  it('compares types with normalised addresses', () => {
    expect(normalizeType('0x2::blob::Blob')).toBe(`0x${'0'.repeat(63)}2::blob::Blob`);
    expect(assessBlobObject(good, { objectId, quiltId }, `${PKG.toUpperCase().replace('0X', '0x')}::blob::Blob`, epoch).ok).toBe(true);
  });
});

describe('epochsForWindow', () => {
  it('adds one epoch for the current, partly elapsed one', () => {
    const day = 86_400_000;
    expect(epochsForWindow(15 * day, day, 53)).toBe(16);
    expect(epochsForWindow(1, day, 53)).toBe(2);
    expect(epochsForWindow(0, day, 53)).toBe(1);
    expect(epochsForWindow(30 * day, 14 * day, 53)).toBe(4);
    expect(() => epochsForWindow(60 * day, day, 53)).toThrowError(/needs 61 epochs .* maximum of 53/);
  });
});

describe('judgeBlobObject (the read path\'s verdict on the object)', () => {
  const judge = (object: BlobObject | undefined) => judgeBlobObject(object, { objectId, quiltId }, `${PKG}::blob::Blob`).kind;

  it.each([
    ['this quilt\'s certified Blob', good, 'certified'],
    ['this quilt\'s Blob, expired or deletable: not a verdict on what the body names', { ...good, endEpoch: 1, deletable: true }, 'certified'],
    ['the Blob with the package id written short', { ...good, type: `0x${PKG.slice(2).replace(/^0+/, '')}::blob::Blob` }, 'certified'],
    ['a Blob of another quilt', { ...good, blobId: new Uint8Array(32).fill(1) }, 'invalid'],
    ['an object of another type', { ...good, type: '0x2::coin::Coin<0x2::sui::SUI>' }, 'invalid'],
    ['a Blob registered but not certified', { ...good, certifiedEpoch: null }, 'pending'],
    ['no object', undefined, 'pending'],
  ] as const)('%s → %s', (_label, object, kind) => {
    expect(judge(object)).toBe(kind);
  });
});
