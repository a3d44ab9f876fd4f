// DaService rules, with in-memory fakes at the port boundary (the adapters have their own
// tests against real Redis and walrus-local).
import { describe, expect, it } from 'vitest';
import { frameKey, keccak256, type CommitmentBody, type QuiltPatchId } from '../commitment/index.ts';
import { bytesToBareHex } from '../bytes/index.ts';
import { Admission } from './admission.ts';
import { DaService, type DaServiceOptions } from './da-service.ts';
import {
  BackpressureError,
  CancelledError,
  InvalidInputError,
  NotFoundError,
  TimeoutError,
  TooLargeError,
  UnavailableError,
} from './errors.ts';
import type { BlobStore, CommitmentStore, CommitmentVerifier, FetchedPatch, FrameCache, FrameQueue, PatchReadOptions } from './ports.ts';
import type { FrameCommitment, FrameKey, FrameStatus } from './types.ts';

const frame = new TextEncoder().encode('\u0000 a frame of batch data');
const key = frameKey(frame);

function commitmentFor(data: Uint8Array, height = 1): FrameCommitment {
  const body: CommitmentBody = {
    quiltId: new Uint8Array(32).fill(1),
    startColumn: 1,
    endColumn: 2,
    objectId: new Uint8Array(32).fill(2),
    frameKeccak: keccak256(data),
  };
  return { body, height, certifiedEpoch: 3, endEpoch: 10, committedAtMs: 1 };
}

class MemoryQueue implements FrameQueue {
  readonly enqueued: FrameKey[] = [];
  readonly waiters = new Map<FrameKey, (c: FrameCommitment) => void>();
  autoCommit = true;
  readonly commitments: MemoryCommitments;

  constructor(commitments: MemoryCommitments) {
    this.commitments = commitments;
  }

  enqueue(k: FrameKey, data: Uint8Array): Promise<void> {
    this.enqueued.push(k);
    if (this.autoCommit) this.commitments.records.set(k, commitmentFor(data));
    return Promise.resolve();
  }

  waitForCommitment(k: FrameKey, options: { signal?: AbortSignal } = {}): Promise<FrameCommitment> {
    const done = this.commitments.records.get(k);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      this.waiters.set(k, resolve);
      options.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }

  status(k: FrameKey): Promise<FrameStatus | undefined> {
    return Promise.resolve(this.enqueued.includes(k) ? { key: k, state: 'queued' } : undefined);
  }
}

class MemoryCommitments implements CommitmentStore {
  readonly records = new Map<FrameKey, FrameCommitment>();
  get(k: FrameKey) {
    return Promise.resolve(this.records.get(k));
  }
  batch() {
    return Promise.resolve(undefined);
  }
  latestHeight() {
    return Promise.resolve(this.records.size);
  }
}

class MemoryCache implements FrameCache {
  readonly frames = new Map<FrameKey, Uint8Array>();
  broken = false;
  get(k: FrameKey) {
    return this.broken ? Promise.reject(new UnavailableError('redis down')) : Promise.resolve(this.frames.get(k));
  }
  put(k: FrameKey, data: Uint8Array) {
    if (this.broken) return Promise.reject(new UnavailableError('redis down'));
    this.frames.set(k, data);
    return Promise.resolve();
  }
}

class ScriptedBlobStore implements BlobStore {
  readonly reads: QuiltPatchId[] = [];
  readonly sources: { source: string; data?: Uint8Array }[];
  constructor(sources: { source: string; data?: Uint8Array }[]) {
    this.sources = sources;
  }
  store(): never {
    throw new Error('not used');
  }
  readBlob(): never {
    throw new Error('not used');
  }
  readQuiltPatch(id: QuiltPatchId, options: PatchReadOptions): Promise<FetchedPatch> {
    this.reads.push(id);
    for (const s of this.sources) {
      if (s.data && options.accept(s.data)) return Promise.resolve({ identifier: bytesToBareHex(keccak256(s.data)), data: s.data, source: s.source });
    }
    return Promise.reject(new NotFoundError('no aggregator has the patch'));
  }
}

const okVerifier: CommitmentVerifier = {
  verify: () => Promise.resolve({ ok: true, full: false, steps: [] }),
  availability: () => Promise.resolve({ step: 'availability', ok: true, reason: 'fine' }),
};

function service(overrides: Partial<DaServiceOptions> & { blobStore?: BlobStore } = {}) {
  const commitments = new MemoryCommitments();
  const queue = new MemoryQueue(commitments);
  const cache = new MemoryCache();
  const options: DaServiceOptions = {
    queue,
    commitments,
    cache,
    blobStore: new ScriptedBlobStore([]),
    verifier: okVerifier,
    maxFrameBytes: 1000,
    putTimeoutMs: 200,
    ...overrides,
  };
  return { service: new DaService(options), queue, commitments, cache };
}

describe('DaService.put', () => {
  it('rejects empty and oversized frames before touching the queue', async () => {
    const { service: s, queue } = service();
    await expect(s.put(new Uint8Array())).rejects.toBeInstanceOf(InvalidInputError);
    await expect(s.put(new Uint8Array(1001))).rejects.toMatchObject({ code: 'TOO_LARGE', size: 1001, limit: 1000 });
    await expect(s.put(new Uint8Array(1001))).rejects.toBeInstanceOf(TooLargeError);
    expect(queue.enqueued).toEqual([]);
  });

  it('answers with the commitment once certified, and never queues a committed frame again', async () => {
    const { service: s, queue, cache } = service();
    const first = await s.put(frame);
    expect(first.deduplicated).toBe(false);
    expect(first.commitment.body.frameKeccak).toEqual(keccak256(frame));
    const second = await s.put(frame);
    expect(second).toEqual({ commitment: first.commitment, deduplicated: true });
    expect(queue.enqueued).toEqual([key]);
    expect(cache.frames.get(key)).toEqual(frame);
  });

  it('fails with TimeoutError after putTimeoutMs, leaving the frame queued', async () => {
    const { service: s, queue } = service();
    queue.autoCommit = false;
    const error = await s.put(frame).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).retryable).toBe(true);
    expect(queue.enqueued).toEqual([key]);
  });

  it('reports a caller that went away as CancelledError, not a timeout', async () => {
    const { service: s, queue } = service({ putTimeoutMs: 10_000 });
    queue.autoCommit = false;
    const controller = new AbortController();
    const pending = s.put(frame, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('DaService.putAll', () => {
  const frames = ['one', 'two', 'three'].map((text) => new TextEncoder().encode(text));

  it('admits all frames before queueing any: one refusal leaves nothing queued and nothing counted', async () => {
    const admission = new Admission({ chains: new Map([['alpha', { maxQueuedBytes: 8 }]]) });
    const { service: s, queue } = service({ admission });
    await expect(s.putAll(frames, { chain: 'alpha' })).rejects.toBeInstanceOf(BackpressureError);
    expect(queue.enqueued).toEqual([]);
    expect(admission.queuedBytes()).toBe(0);
    const results = await s.putAll(frames.slice(0, 2), { chain: 'alpha' });
    expect(results.map((r) => r.commitment.body.frameKeccak)).toEqual(frames.slice(0, 2).map((f) => keccak256(f)));
    expect(admission.queuedBytes()).toBe(0);
  });

  it('checks every frame before admitting any', async () => {
    const { service: s, queue } = service();
    await expect(s.putAll([frames[0] ?? frame, new Uint8Array()])).rejects.toBeInstanceOf(InvalidInputError);
    expect(queue.enqueued).toEqual([]);
  });
});

describe('DaService.get', () => {
  const body = commitmentFor(frame).body;

  it('serves from the cache only bytes that match the key', async () => {
    const store = new ScriptedBlobStore([{ source: 'aggregator-a', data: frame }]);
    const { service: s, cache } = service({ blobStore: store });
    cache.frames.set(key, new TextEncoder().encode('tampered'));
    const result = await s.get(body);
    expect(result).toEqual({ data: frame, source: 'aggregator-a' });
    expect(cache.frames.get(key)).toEqual(frame); // repaired
    expect(await s.get(body)).toEqual({ data: frame, source: 'cache' });
    expect(store.reads).toHaveLength(1);
  });

  it('skips lying sources and reads on when the cache is down', async () => {
    const liar = new TextEncoder().encode('not the frame');
    const store = new ScriptedBlobStore([{ source: 'liar', data: liar }, { source: 'honest', data: frame }]);
    const { service: s, cache } = service({ blobStore: store });
    cache.broken = true;
    expect(await s.get(body)).toEqual({ data: frame, source: 'honest' });
    expect(store.reads[0]).toEqual({ quiltId: body.quiltId, startColumn: 1, endColumn: 2 });
  });

  it('is NotFound when no source has the data', async () => {
    const { service: s } = service();
    await expect(s.get(body)).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.getByKey('ab'.repeat(32))).rejects.toThrow('no frame with keccak 0xabab');
  });

  it('checks Sui availability on read when verifyOnRead is set', async () => {
    const store = new ScriptedBlobStore([{ source: 'a', data: frame }]);
    const expired: CommitmentVerifier = {
      ...okVerifier,
      availability: () => Promise.resolve({ step: 'availability', ok: false, reason: 'blob expired' }),
    };
    const { service: s } = service({ blobStore: store, verifier: expired, verifyOnRead: true });
    await expect(s.get(body)).rejects.toThrow('verify-on-read: the quilt is not available on Walrus: blob expired');
  });

  it('resolves keys through their commitment', async () => {
    const store = new ScriptedBlobStore([{ source: 'a', data: frame }]);
    const { service: s, commitments } = service({ blobStore: store });
    commitments.records.set(key, commitmentFor(frame));
    expect((await s.getByKey(key)).data).toEqual(frame);
  });
});

describe('DaService.status and health', () => {
  it('reports certified, queued and unknown frames', async () => {
    const { service: s, queue } = service();
    expect((await s.status(key)).state).toBe('unknown');
    queue.autoCommit = false;
    await s.put(frame).catch(() => undefined);
    expect((await s.status(key)).state).toBe('queued');
    const { service: t } = service();
    await t.put(frame);
    expect(await t.status(key)).toMatchObject({ state: 'certified', endEpoch: 10 });
  });

  it('is healthy only when every probe is, and survives a throwing probe', async () => {
    const { service: s } = service({
      probes: [
        { name: 'redis', check: () => Promise.resolve({ name: 'redis', ok: true, detail: 'PONG', latencyMs: 1 }) },
        { name: 'sui', check: () => Promise.reject(new Error('ECONNREFUSED')) },
      ],
    });
    const report = await s.health();
    expect(report.ok).toBe(false);
    expect(report.dependencies.map((d) => [d.name, d.ok, d.detail])).toEqual([
      ['redis', true, 'PONG'],
      ['sui', false, 'ECONNREFUSED'],
    ]);
  });
});

describe('DaService observer', () => {
  it('is told of every successful put and get once, whichever path served it', async () => {
    const seen: string[] = [];
    const observer = {
      onPut: (bytes: number, deduplicated: boolean) => void seen.push(`put ${bytes} ${deduplicated}`),
      onGet: (bytes: number, source: string) => void seen.push(`get ${bytes} ${source}`),
    };
    const store = new ScriptedBlobStore([{ source: 'aggregator-a', data: frame }]);
    const { service: s, cache } = service({ blobStore: store, observer });
    await s.put(frame);
    await s.put(frame);
    cache.frames.clear();
    await s.getByKey(key);
    await s.getByKey(key);
    await expect(s.put(new Uint8Array())).rejects.toThrow();
    expect(seen).toEqual([`put ${frame.length} false`, `put ${frame.length} true`, `get ${frame.length} aggregator-a`, `get ${frame.length} cache`]);
  });
});
