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
  ProvenInvalidError,
  TimeoutError,
  TooLargeError,
  UnavailableError,
} from './errors.ts';
import type {
  AvailabilityChecker,
  BlobStore,
  CommitmentStore,
  CommitmentVerifier,
  FetchedPatch,
  FrameCache,
  FrameQueue,
  NodePatchRead,
  NodePatchSource,
  PatchReadOptions,
} from './ports.ts';
import type { BlobObject, FrameCommitment, FrameKey, FrameStatus, WalrusEpoch } from './types.ts';

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
  broken = false;
  get(k: FrameKey) {
    return this.broken ? Promise.reject(new UnavailableError('redis down')) : Promise.resolve(this.records.get(k));
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

class MemorySui implements AvailabilityChecker {
  readonly objects = new Map<string, BlobObject>();
  objectReads = 0;
  down = false;
  blobType() {
    return Promise.resolve(BLOB_TYPE);
  }
  currentEpoch(): Promise<WalrusEpoch> {
    return Promise.resolve({ epoch: 4, nShards: 10, epochDurationMs: 1000, firstEpochStartMs: 0 });
  }
  async blobObject(objectId: Uint8Array) {
    this.objectReads++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.down) throw new UnavailableError('Sui RPC unreachable');
    return this.objects.get(hex(objectId));
  }
  certifiedObjectId() {
    return Promise.resolve(undefined);
  }
}

const BLOB_TYPE = '0xabc::blob::Blob';
const hex = (bytes: Uint8Array) => bytesToBareHex(bytes);

function blob(objectId: Uint8Array, quiltId: Uint8Array): BlobObject {
  return { objectId, type: BLOB_TYPE, blobId: quiltId, size: 10, registeredEpoch: 1, certifiedEpoch: 1, startEpoch: 1, endEpoch: 10, storageSize: 100, deletable: false };
}

class ScriptedNodes implements NodePatchSource {
  answer: NodePatchRead | Error = new UnavailableError('nodes not scripted');
  readPatch(): Promise<NodePatchRead> {
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
}

function patchRead(data: Uint8Array): Extract<NodePatchRead, { kind: 'patch' }> {
  return { kind: 'patch', identifier: bytesToBareHex(keccak256(data)), data, source: 'nodes' };
}

interface Context {
  readonly sui: MemorySui;
  readonly nodes: ScriptedNodes;
  readonly aggregators: { source: string; data?: Uint8Array }[];
  nodesConfigured: boolean;
  readonly service: DaService;
}

/** A service whose aggregators, nodes and Sui each test arranges before the first read. */
function context(): Context {
  const sui = new MemorySui();
  const nodes = new ScriptedNodes();
  const aggregators: { source: string; data?: Uint8Array }[] = [];
  let built: DaService | undefined;
  const ctx: Context = {
    sui,
    nodes,
    aggregators,
    nodesConfigured: true,
    get service() {
      built ??= service({ availability: sui, blobStore: new ScriptedBlobStore(aggregators), ...(ctx.nodesConfigured ? { nodes } : {}) }).service;
      return built;
    },
  };
  return ctx;
}

const okVerifier: CommitmentVerifier = {
  verify: () => Promise.resolve({ ok: true, full: false, steps: [] }),
  availability: () => Promise.resolve({ step: 'availability', ok: true, reason: 'fine' }),
};

function service(overrides: Partial<DaServiceOptions> & { blobStore?: BlobStore } = {}) {
  const commitments = new MemoryCommitments();
  const queue = new MemoryQueue(commitments);
  const cache = new MemoryCache();
  const sui = overrides.availability instanceof MemorySui ? overrides.availability : new MemorySui();
  const options: DaServiceOptions = {
    queue,
    commitments,
    cache,
    blobStore: new ScriptedBlobStore([]),
    verifier: okVerifier,
    availability: sui,
    maxFrameBytes: 1000,
    putTimeoutMs: 200,
    ...overrides,
  };
  return { service: new DaService(options), queue, commitments, cache, sui };
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
  const issued = commitmentFor(frame);
  const body = issued.body;

  it('serves from the cache only the commitment this deployment issued, and only bytes that match', async () => {
    const store = new ScriptedBlobStore([{ source: 'aggregator-a', data: frame }]);
    const { service: s, cache, commitments, sui } = service({ blobStore: store });
    commitments.records.set(key, issued);
    cache.frames.set(key, new TextEncoder().encode('tampered'));
    const result = await s.get(body);
    expect(result).toEqual({ data: frame, source: 'aggregator-a' });
    expect(cache.frames.get(key)).toEqual(frame); // repaired
    expect(await s.get(body)).toEqual({ data: frame, source: 'cache' });
    expect(store.reads).toHaveLength(1);
    // Its own commitment's object was certified by this deployment: Sui is not asked.
    expect(sui.objectReads).toBe(0);
  });

  it('never answers another quilt or object with a cached keccak from the cache', async () => {
    const store = new ScriptedBlobStore([]);
    const { service: s, cache, commitments, sui } = service({ blobStore: store });
    commitments.records.set(key, issued);
    cache.frames.set(key, frame);
    const otherQuilt = { ...body, quiltId: new Uint8Array(32).fill(9) };
    sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
    // The object is the issued quilt's Blob, so for another quilt it proves the body invalid.
    await expect(s.get(otherQuilt)).rejects.toMatchObject({ code: 'PROVEN_INVALID', ground: 'object' });
    const otherObject = { ...body, objectId: new Uint8Array(32).fill(8) };
    // Unknown object: not a proof, but not served either.
    await expect(s.get(otherObject)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(store.reads).toHaveLength(2);
  });

  it('reads on, through Sui and the aggregators, when the commitment store is down', async () => {
    const store = new ScriptedBlobStore([{ source: 'a', data: frame }]);
    const { service: s, commitments, sui } = service({ blobStore: store });
    commitments.broken = true;
    sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
    expect(await s.get(body)).toEqual({ data: frame, source: 'a' });
    expect(sui.objectReads).toBe(1);
  });

  it('skips lying sources and reads on when the cache is down', async () => {
    const liar = new TextEncoder().encode('not the frame');
    const store = new ScriptedBlobStore([{ source: 'liar', data: liar }, { source: 'honest', data: frame }]);
    const { service: s, cache, commitments } = service({ blobStore: store });
    commitments.records.set(key, issued);
    cache.broken = true;
    expect(await s.get(body)).toEqual({ data: frame, source: 'honest' });
    expect(store.reads[0]).toEqual({ quiltId: body.quiltId, startColumn: 1, endColumn: 2 });
  });

  it('asks Sui once per quilt and object, also for concurrent reads, and remembers only final verdicts', async () => {
    const store = new ScriptedBlobStore([{ source: 'a', data: frame }]);
    const { service: s, sui } = service({ blobStore: store });
    sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
    await Promise.all([s.get(body), s.get(body), s.get(body)]);
    await s.get(body);
    expect(sui.objectReads).toBe(1);
    // Not certified yet: asked again on every read until it is.
    const pending = { ...body, objectId: new Uint8Array(32).fill(7) };
    sui.objects.set(hex(pending.objectId), { ...blob(pending.objectId, body.quiltId), certifiedEpoch: null });
    await expect(s.get(pending)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(s.get(pending)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(sui.objectReads).toBe(3);
    sui.objects.set(hex(pending.objectId), blob(pending.objectId, body.quiltId));
    expect((await s.get(pending)).data).toEqual(frame);
    await s.get(pending);
    expect(sui.objectReads).toBe(4);
  });

  describe('verdicts', () => {
    const other = new TextEncoder().encode('another frame');
    const proofs: [string, (ctx: Context) => void, string][] = [
      ['object is another quilt’s Blob', (c) => c.sui.objects.set(hex(body.objectId), blob(body.objectId, new Uint8Array(32).fill(5))), 'object'],
      ['object is not a Blob', (c) => c.sui.objects.set(hex(body.objectId), { ...blob(body.objectId, body.quiltId), type: '0x2::coin::Coin<0x2::sui::SUI>' }), 'object'],
      ['nodes: no patch at the columns', (c) => (c.nodes.answer = { kind: 'no-patch', reason: 'column 1 is inside patch ab', source: 'nodes' }), 'no-patch'],
      ['nodes: another patch at the columns', (c) => (c.nodes.answer = patchRead(other)), 'other-patch'],
      ['nodes: the named patch holds other bytes', (c) => (c.nodes.answer = { ...patchRead(other), identifier: key }), 'wrong-data'],
    ];
    it.each(proofs)('%s → ProvenInvalidError', async (_label, arrange, ground) => {
      const c = context();
      c.sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
      arrange(c);
      const error = await c.service.get(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProvenInvalidError);
      expect(error).toMatchObject({ code: 'PROVEN_INVALID', ground, retryable: false });
    });

    const nonProofs: [string, (ctx: Context) => void, string][] = [
      ['Sui has no such object (yet)', (c) => c.sui.objects.delete(hex(body.objectId)), 'UNAVAILABLE'],
      ['the Blob is registered, not certified', (c) => c.sui.objects.set(hex(body.objectId), { ...blob(body.objectId, body.quiltId), certifiedEpoch: null }), 'UNAVAILABLE'],
      ['Sui is unreachable', (c) => (c.sui.down = true), 'UNAVAILABLE'],
      ['every aggregator 404s and no nodes are configured', (c) => (c.nodesConfigured = false), 'UNAVAILABLE'],
      ['aggregators serve other bytes and no nodes are configured', (c) => ((c.nodesConfigured = false), c.aggregators.push({ source: 'liar', data: other })), 'UNAVAILABLE'],
      ['too few nodes answer', (c) => (c.nodes.answer = new UnavailableError('2 of 4 nodes answered')), 'UNAVAILABLE'],
    ];
    it.each(nonProofs)('%s → retryable', async (_label, arrange, code) => {
      const c = context();
      c.sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
      arrange(c);
      const error = await c.service.get(body).catch((e: unknown) => e);
      expect(error).toMatchObject({ code, retryable: true });
    });

    it('serves the nodes’ patch when no aggregator has it', async () => {
      const c = context();
      c.sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
      c.nodes.answer = patchRead(frame);
      expect(await c.service.get(body)).toEqual({ data: frame, source: 'nodes' });
    });

    it('decides on the object before the data: a wrong object is invalid even when the data is there', async () => {
      const c = context();
      c.aggregators.push({ source: 'a', data: frame });
      c.sui.objects.set(hex(body.objectId), blob(body.objectId, new Uint8Array(32).fill(5)));
      await expect(c.service.get(body)).rejects.toMatchObject({ code: 'PROVEN_INVALID', ground: 'object' });
    });
  });

  it('is NotFound for an unknown key, and resolves known keys through their commitment', async () => {
    const store = new ScriptedBlobStore([{ source: 'a', data: frame }]);
    const { service: s, commitments } = service({ blobStore: store });
    await expect(s.getByKey('ab'.repeat(32))).rejects.toThrow('no frame with keccak 0xabab');
    await expect(s.getByKey('ab'.repeat(32))).rejects.toBeInstanceOf(NotFoundError);
    commitments.records.set(key, issued);
    expect((await s.getByKey(key)).data).toEqual(frame);
  });

  it('checks Sui availability on read when verifyOnRead is set', async () => {
    const store = new ScriptedBlobStore([{ source: 'a', data: frame }]);
    const expired: CommitmentVerifier = {
      ...okVerifier,
      availability: () => Promise.resolve({ step: 'availability', ok: false, reason: 'blob expired' }),
    };
    const { service: s, sui } = service({ blobStore: store, verifier: expired, verifyOnRead: true });
    sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
    await expect(s.get(body)).rejects.toThrow('verify-on-read: the quilt is not available on Walrus: blob expired');
  });

  it('fails a read that outlives readTimeoutMs with a retryable TimeoutError, even if a dependency ignores the signal', async () => {
    const hanging: BlobStore = { ...new ScriptedBlobStore([]), readQuiltPatch: () => new Promise(() => undefined), store: () => Promise.reject(new Error('unused')), readBlob: () => Promise.reject(new Error('unused')) };
    const { service: s, sui } = service({ blobStore: hanging, readTimeoutMs: 30 });
    sui.objects.set(hex(body.objectId), blob(body.objectId, body.quiltId));
    const error = await s.get(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).retryable).toBe(true);
    const controller = new AbortController();
    const pending = s.get(body, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
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
