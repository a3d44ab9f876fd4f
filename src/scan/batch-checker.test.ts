// BatchChecker with a fake verifier whose data step reads through the recorder, as the real one
// reads through its BlobStore: the output line, and --out writing exactly the verified frames.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToBareHex, bytesToHex } from '../bytes/index.ts';
import { frameKey, keccak256, type CommitmentBody } from '../commitment/index.ts';
import type { BlobStore, CommitmentVerifier, VerificationReport } from '../core/index.ts';
import { BatchChecker } from './batch-checker.ts';
import { FrameRecorder } from './frame-recorder.ts';
import type { FoundBatch } from './types.ts';

const good = new TextEncoder().encode('frame that is stored');
const body = (frame: Uint8Array): CommitmentBody => ({ quiltId: new Uint8Array(32), startColumn: 1, endColumn: 2, objectId: new Uint8Array(32), frameKeccak: keccak256(frame) });

/** Serves `good` for every patch; the verifier passes availability unless told the object is wrong. */
function fakeVerifier(store: BlobStore, wrongObject: Set<string>): CommitmentVerifier {
  return {
    availability: () => Promise.resolve({ step: 'availability', ok: true, reason: '' }),
    async verify(b, options): Promise<VerificationReport> {
      let data;
      try {
        const patch = await store.readQuiltPatch(b, { accept: (d) => bytesToBareHex(keccak256(d)) === bytesToBareHex(b.frameKeccak) });
        data = { step: 'data', ok: true, reason: 'ok', facts: { length: patch.data.length } } as const;
      } catch {
        data = { step: 'data', ok: false, reason: 'mismatch', facts: { error: 'INTEGRITY' } } as const;
      }
      const bad = wrongObject.has(bytesToBareHex(b.frameKeccak));
      const availability = bad ? ({ step: 'availability', ok: false, reason: 'Sui has no object', facts: { objectId: '0x00' } } as const) : ({ step: 'availability', ok: true, reason: '' } as const);
      const steps = [{ step: 'decode', ok: true, reason: '' } as const, data, availability];
      return { ok: steps.every((s) => s.ok), full: options.full, steps };
    },
  };
}

const store: BlobStore = {
  store: () => Promise.reject(new Error('read only')),
  readBlob: () => Promise.reject(new Error('no blobs')),
  readQuiltPatch: (_id, options) => (options.accept(good) ? Promise.resolve({ identifier: frameKey(good), data: good, source: 'fake' }) : Promise.reject(new Error('mismatch'))),
};

const batch = (check: FoundBatch['check']): FoundBatch => ({
  chain: 'opstack',
  l1Block: 7n,
  txHash: '0xaa',
  txIndex: 1,
  kind: 'opstack-generic',
  commitment: Uint8Array.of(1, 0x57),
  check,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-checker-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('BatchChecker', () => {
  it('writes the frames of valid batches only, named by their keccak', async () => {
    const recorder = new FrameRecorder();
    const wrongObject = new Set<string>();
    const checker = new BatchChecker({ verifier: fakeVerifier(recorder.wrap(store), wrongObject), full: false, out: { dir, recorder } });

    const valid = await checker.check(batch({ type: 'walrus', body: body(good) }));
    expect(valid).toEqual({
      chain: 'opstack',
      l1Block: 7,
      txHash: '0xaa',
      txIndex: 1,
      kind: 'opstack-generic',
      commitment: '0x0157',
      verdict: 'valid',
      reason: 'verified on Walrus and Sui',
      steps: expect.any(Array) as unknown,
      bytes: good.length,
      frameKeccak: bytesToHex(keccak256(good)),
      file: join(dir, frameKey(good)),
    });
    expect(new Uint8Array(await readFile(join(dir, frameKey(good))))).toEqual(good);

    const tampered = await checker.check(batch({ type: 'walrus', body: body(new TextEncoder().encode('other')) }));
    expect(tampered).toMatchObject({ verdict: 'invalid', reason: 'data: mismatch' });
    expect(tampered.file).toBeUndefined();

    wrongObject.add(frameKey(good));
    await rm(join(dir, frameKey(good)));
    const noObject = await checker.check(batch({ type: 'walrus', body: body(good) }));
    expect(noObject).toMatchObject({ verdict: 'invalid', reason: 'availability: Sui has no object' });
    expect(await readdir(dir)).toEqual([]); // read, recorded, but not written: the batch is not valid
  });

  it('passes decided batches through and skips keccak commitments without a DA server', async () => {
    const checker = new BatchChecker({ verifier: fakeVerifier(store, new Set()), full: true });
    expect(await checker.check({ ...batch({ type: 'decided', verdict: 'foreign', reason: 'DA layer 0x0c' }), batchNumber: 4n, method: 'm' })).toMatchObject({
      verdict: 'foreign',
      reason: 'DA layer 0x0c',
      steps: [],
      batchNumber: 4,
      method: 'm',
    });
    expect(await checker.check(batch({ type: 'keccak', keccak: keccak256(good) }))).toMatchObject({ verdict: 'skipped', frameKeccak: bytesToHex(keccak256(good)) });
  });

  it('shows only the first 128 bytes of long data that is not a commitment', async () => {
    const checker = new BatchChecker({ verifier: fakeVerifier(store, new Set()), full: false });
    const long = { ...batch({ type: 'decided', verdict: 'skipped', reason: 'frames on L1' }), commitment: new Uint8Array(300).fill(0xab) };
    expect((await checker.check(long)).commitment).toBe(`0x${'ab'.repeat(128)}…(300 bytes)`);
  });
});

describe('FrameRecorder', () => {
  it('keeps a frame read by two concurrent verifications until both took it', async () => {
    const recorder = new FrameRecorder();
    const wrapped = recorder.wrap(store);
    const read = () => wrapped.readQuiltPatch({ quiltId: new Uint8Array(32), startColumn: 1, endColumn: 2 }, { accept: () => true });
    await Promise.all([read(), read()]);
    expect(recorder.take(keccak256(good))).toEqual(good);
    expect(recorder.take(keccak256(good))).toEqual(good);
    expect(recorder.size).toBe(0);
    expect(recorder.take(keccak256(good))).toBeUndefined();
  });
});
