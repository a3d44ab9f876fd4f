// The read path's Sui check: once per (quilt, object), final verdicts remembered in a bounded map.
import { describe, expect, it } from 'vitest';
import type { CommitmentBody } from '../commitment/index.ts';
import { UnavailableError } from './errors.ts';
import { ObjectVerdicts } from './object-verdicts.ts';
import type { AvailabilityChecker } from './ports.ts';
import type { BlobObject } from './types.ts';

const TYPE = '0xabc::blob::Blob';

function sui(objects: Map<number, BlobObject | 'down'>) {
  const reads: number[] = [];
  const checker: AvailabilityChecker = {
    blobType: () => Promise.resolve(TYPE),
    currentEpoch: () => Promise.reject(new Error('not needed for a verdict')),
    blobObject: (id) => {
      reads.push(id[0] ?? 0);
      const object = objects.get(id[0] ?? 0);
      return object === 'down' ? Promise.reject(new UnavailableError('Sui down')) : Promise.resolve(object);
    },
    certifiedObjectId: () => Promise.resolve(undefined),
  };
  return { checker, reads };
}

const quiltId = new Uint8Array(32).fill(1);
const bodyFor = (object: number): CommitmentBody => ({ quiltId, startColumn: 1, endColumn: 2, objectId: new Uint8Array(32).fill(object), frameKeccak: new Uint8Array(32) });
const blob = (object: number, quilt = quiltId): BlobObject => ({
  objectId: new Uint8Array(32).fill(object),
  type: TYPE,
  blobId: quilt,
  size: 1,
  registeredEpoch: 1,
  certifiedEpoch: 1,
  startEpoch: 1,
  endEpoch: 5,
  storageSize: 1,
  deletable: false,
});

describe('ObjectVerdicts', () => {
  it('remembers certified and invalid verdicts, evicting the oldest past its capacity', async () => {
    const { checker, reads } = sui(new Map([[1, blob(1)], [2, blob(2, new Uint8Array(32).fill(9))], [3, blob(3)]]));
    const verdicts = new ObjectVerdicts(checker, { capacity: 2 });
    expect((await verdicts.judge(bodyFor(1))).kind).toBe('certified');
    expect((await verdicts.judge(bodyFor(2))).kind).toBe('invalid');
    expect((await verdicts.judge(bodyFor(1))).kind).toBe('certified');
    expect(reads).toEqual([1, 2]);
    await verdicts.judge(bodyFor(3)); // evicts 1, the first stored
    await verdicts.judge(bodyFor(2));
    await verdicts.judge(bodyFor(1));
    expect(reads).toEqual([1, 2, 3, 1]);
  });

  it('shares one Sui read between concurrent callers and forgets pending answers and failures', async () => {
    const objects = new Map<number, BlobObject | 'down'>([[1, { ...blob(1), certifiedEpoch: null }], [2, 'down']]);
    const { checker, reads } = sui(objects);
    const verdicts = new ObjectVerdicts(checker);
    const all = await Promise.all([verdicts.judge(bodyFor(1)), verdicts.judge(bodyFor(1))]);
    expect(all.map((v) => v.kind)).toEqual(['pending', 'pending']);
    expect(reads).toEqual([1]);
    await expect(verdicts.judge(bodyFor(2))).rejects.toBeInstanceOf(UnavailableError);
    objects.set(1, blob(1));
    objects.set(2, blob(2));
    expect((await verdicts.judge(bodyFor(1))).kind).toBe('certified');
    expect((await verdicts.judge(bodyFor(2))).kind).toBe('certified');
    expect(reads).toEqual([1, 2, 1, 2]);
  });

  it('gives up on a Sui read that never returns, so the pair is asked afresh', async () => {
    let calls = 0;
    const hanging: AvailabilityChecker = {
      ...sui(new Map()).checker,
      blobObject: () => (++calls === 1 ? new Promise(() => undefined) : Promise.resolve(blob(1))),
    };
    const verdicts = new ObjectVerdicts(hanging, { sharedReadTimeoutMs: 20 });
    await expect(verdicts.judge(bodyFor(1))).rejects.toBeInstanceOf(UnavailableError);
    expect((await verdicts.judge(bodyFor(1))).kind).toBe('certified');
  });

  it('takes what the deployment already knows without asking Sui', async () => {
    const { checker, reads } = sui(new Map());
    const verdicts = new ObjectVerdicts(checker);
    verdicts.remember(bodyFor(5), { kind: 'certified', reason: 'issued here' });
    expect(await verdicts.judge(bodyFor(5))).toEqual({ kind: 'certified', reason: 'issued here' });
    expect(reads).toEqual([]);
  });
});
