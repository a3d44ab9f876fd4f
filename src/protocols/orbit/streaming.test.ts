// The chunked-store receiver against Nitro's own protocol tests (nitro
// daprovider/data_streaming/protocol_test.go, signing_test.go), with a hand-driven clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, TooLargeError } from '../../core/index.ts';
import { ChunkedStoreReceiver, streamCommitment, type ChunkedStoreReceiverOptions } from './streaming.ts';

const T0 = 1_750_000_000_000;

function setup(options: Partial<ChunkedStoreReceiverOptions> = {}) {
  const clock = { now: T0 };
  const receiver = new ChunkedStoreReceiver({ maxMessageSize: 1 << 20, clock: () => clock.now, ...options });
  return { receiver, clock };
}

/** Streams `data` as Nitro's DataStreamer does; chunks may be sent in any order. */
function send(receiver: ChunkedStoreReceiver, data: Uint8Array, chunkSize: number, options: { order?: number[]; timestamp?: bigint; timeout?: bigint } = {}) {
  const timestamp = options.timestamp ?? BigInt(Math.floor(T0 / 1000));
  const timeout = options.timeout ?? 99n;
  const nChunks = BigInt(Math.ceil(data.length / chunkSize));
  const totalSize = BigInt(data.length);
  const sig = streamCommitment(new Uint8Array(), timestamp, nChunks, BigInt(chunkSize), totalSize, timeout);
  const id = receiver.start({ timestamp, nChunks, chunkSize: BigInt(chunkSize), totalSize, timeout, sig });
  const chunks = Array.from({ length: Number(nChunks) }, (_, i) => data.subarray(i * chunkSize, (i + 1) * chunkSize));
  const sendChunk = (i: number, chunk = chunks[i] ?? new Uint8Array()) => receiver.receiveChunk(id, BigInt(i), chunk, streamCommitment(chunk, id, BigInt(i)));
  for (const i of options.order ?? chunks.map((_, i) => i)) sendChunk(i);
  const commit = () => receiver.finalize(id, streamCommitment(new Uint8Array(), id));
  return { id, chunks, sendChunk, commit };
}

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('streamCommitment (signing.go PayloadCommiter)', () => {
  it('is keccak256(data ‖ BE u64 extras), and any one-byte change breaks it', () => {
    const c = streamCommitment(Uint8Array.of(1, 2, 3), 5n, (1n << 64n) - 1n);
    expect(Buffer.from(c).toString('hex')).toBe(Buffer.from(streamCommitment(Uint8Array.of(1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 5, 255, 255, 255, 255, 255, 255, 255, 255))).toString('hex'));
    expect(streamCommitment(new Uint8Array())).toEqual(streamCommitment(new Uint8Array()));
    expect(streamCommitment(Uint8Array.of(1, 2, 4), 5n, 1n)).not.toEqual(streamCommitment(Uint8Array.of(1, 2, 3), 5n, 1n));
    expect(streamCommitment(Uint8Array.of(1, 2, 3), 5n, 2n)).not.toEqual(streamCommitment(Uint8Array.of(1, 2, 3), 5n, 1n));
  });
});

describe('positive scenarios', () => {
  it('reassembles short, long and exact-multiple messages, chunks in any order', () => {
    const { receiver } = setup();
    for (const [size, chunkSize, order] of [
      [10, 100, undefined],
      [1000, 64, undefined],
      [640, 64, [9, 0, 8, 1, 7, 2, 6, 3, 5, 4]],
      [1, 1, undefined],
    ] as const) {
      const data = bytes(size);
      const stream = send(receiver, data, chunkSize, order ? { order: [...order] } : {});
      expect(stream.commit()).toEqual({ message: data, timeout: 99n });
    }
    expect(receiver.pendingStreams).toBe(0);
  });

  it('accepts an identical chunk twice (the RPC client retries)', () => {
    const { receiver } = setup();
    const data = bytes(100);
    const stream = send(receiver, data, 40);
    stream.sendChunk(1);
    expect(stream.commit().message).toEqual(data);
  });

  it('keeps a stream alive while chunks keep coming, each resetting the inactivity window', () => {
    const { receiver, clock } = setup({ inactivityExpiryMs: 1000 });
    const data = bytes(300);
    const stream = send(receiver, data, 100, { order: [0] });
    clock.now += 900;
    stream.sendChunk(1);
    clock.now += 900;
    stream.sendChunk(2);
    clock.now += 900;
    expect(stream.commit().message).toEqual(data);
  });

  it('round-trips any message and chunk size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (data, chunkSize) => {
        const { receiver } = setup();
        const order = Array.from({ length: Math.ceil(data.length / chunkSize) }, (_, i) => i).reverse();
        expect(send(receiver, data, chunkSize, { order }).commit().message).toEqual(data);
        receiver.close();
      }),
    );
  });
});

describe('Nitro’s rejections, word for word', () => {
  const start = (receiver: ChunkedStoreReceiver, fields: { timestamp?: bigint; nChunks: bigint; chunkSize: bigint; totalSize: bigint; timeout?: bigint }) => {
    const timestamp = fields.timestamp ?? BigInt(T0 / 1000);
    const timeout = fields.timeout ?? 1n;
    const sig = streamCommitment(new Uint8Array(), timestamp, fields.nChunks, fields.chunkSize, fields.totalSize, timeout);
    return receiver.start({ ...fields, timestamp, timeout, sig });
  };

  it('refuses an empty message and zero sizes', () => {
    const { receiver } = setup();
    const message = "can't start collecting new message: neither number of chunks, total size or chunk size can be zero";
    expect(() => start(receiver, { nChunks: 0n, chunkSize: 10n, totalSize: 0n })).toThrow(message);
    expect(() => start(receiver, { nChunks: 1n, chunkSize: 0n, totalSize: 5n, timeout: 2n })).toThrow(message);
    // Go multiplies in uint64: 2^32 · 2^32 wraps to zero.
    expect(() => start(receiver, { nChunks: 1n << 32n, chunkSize: 1n, totalSize: 1n << 32n })).toThrow(message);
  });

  it('refuses starts that are too old, from the future, or replayed', () => {
    const { receiver, clock } = setup({ requestValidityMs: 300_000 });
    const now = BigInt(T0 / 1000);
    expect(() => start(receiver, { timestamp: now - 301n, nChunks: 1n, chunkSize: 1n, totalSize: 1n })).toThrow('too much time has elapsed since request was signed');
    expect(() => start(receiver, { timestamp: now + 301n, nChunks: 1n, chunkSize: 1n, totalSize: 1n })).toThrow('too much time has elapsed since request was signed');
    start(receiver, { timestamp: now - 299n, nChunks: 1n, chunkSize: 1n, totalSize: 1n });
    expect(() => start(receiver, { timestamp: now - 299n, nChunks: 1n, chunkSize: 1n, totalSize: 1n })).toThrow(
      'we have already seen this request; aborting replayed protocol',
    );
    clock.now += 2000; // the remembered request is now older than the window: forgotten, and too old anyway
    expect(() => start(receiver, { timestamp: now - 299n, nChunks: 1n, chunkSize: 1n, totalSize: 1n })).toThrow('too much time has elapsed');
  });

  it('refuses a start beyond the pending-stream limit until one finishes', () => {
    const { receiver } = setup({ maxPendingStreams: 2 });
    start(receiver, { nChunks: 1n, chunkSize: 1n, totalSize: 1n, timeout: 1n });
    const second = send(receiver, bytes(3), 3, { order: [], timeout: 2n });
    expect(() => start(receiver, { nChunks: 1n, chunkSize: 1n, totalSize: 1n, timeout: 3n })).toThrow("can't start collecting new message: already 2 pending");
    second.sendChunk(0);
    second.commit();
    start(receiver, { nChunks: 1n, chunkSize: 1n, totalSize: 1n, timeout: 4n });
  });

  it('checks every signature', () => {
    const { receiver } = setup();
    const bad = new Uint8Array(32);
    expect(() => receiver.start({ timestamp: 1n, nChunks: 1n, chunkSize: 1n, totalSize: 1n, timeout: 1n, sig: bad })).toThrow('signature does not match');
    const stream = send(receiver, bytes(4), 2, { order: [0] });
    expect(() => receiver.receiveChunk(stream.id, 1n, bytes(2), bad)).toThrow('signature does not match');
    expect(() => receiver.receiveChunk(stream.id, 1n, bytes(2, 9), streamCommitment(bytes(2), stream.id, 1n))).toThrow('signature does not match');
    expect(() => receiver.finalize(stream.id, bad)).toThrow('signature does not match');
  });

  it('aborts the stream when a chunk is resent with different bytes', () => {
    const { receiver } = setup();
    const stream = send(receiver, bytes(4), 2);
    expect(() => stream.sendChunk(0, bytes(2, 7))).toThrow('received different chunk data than previously; aborting protocol');
    expect(() => stream.commit()).toThrow(`unknown message(${stream.id})`);
  });

  it('checks chunk ids and sizes', () => {
    const { receiver } = setup();
    const stream = send(receiver, bytes(5), 2, { order: [] });
    expect(() => stream.sendChunk(3, bytes(1))).toThrow(`message(${stream.id}): chunk(3) out of range - expected 3 chunks`);
    expect(() => stream.sendChunk(0, bytes(1))).toThrow(`message(${stream.id}): chunk(0) has incorrect size (1 bytes) - expecting 2 bytes`);
    expect(() => stream.sendChunk(2, bytes(2))).toThrow(`message(${stream.id}): chunk(2) has incorrect size (2 bytes) - expecting 1 bytes`);
    expect(() => receiver.receiveChunk(12345n, 0n, bytes(1), streamCommitment(bytes(1), 12345n, 0n))).toThrow('unknown message(12345)');
  });

  it('refuses to commit an incomplete message, and forgets it', () => {
    const { receiver } = setup();
    const stream = send(receiver, bytes(5), 2, { order: [0, 2] });
    expect(() => stream.commit()).toThrow(`incomplete message(${stream.id}): got 2/3 chunks`);
    expect(() => stream.commit()).toThrow(`unknown message(${stream.id})`);
  });

  it('drops a stream that saw no new chunk within the expiry', () => {
    const { receiver, clock } = setup({ inactivityExpiryMs: 60_000 });
    const stream = send(receiver, bytes(4), 2, { order: [0] });
    clock.now += 60_001;
    expect(receiver.pendingStreams).toBe(0);
    expect(() => stream.sendChunk(1)).toThrow(`unknown message(${stream.id})`);
  });

  it('adds walrus-da’s own guards: size limit (with Nitro’s resize error) and consistent chunk counts', () => {
    const { receiver } = setup({ maxMessageSize: 100 });
    expect(() => start(receiver, { nChunks: 2n, chunkSize: 60n, totalSize: 101n })).toThrow(TooLargeError);
    expect(() => start(receiver, { nChunks: 3n, chunkSize: 10n, totalSize: 5n })).toThrow(InvalidInputError);
    expect(() => start(receiver, { nChunks: 3n, chunkSize: 10n, totalSize: 5n, timeout: 2n })).toThrow(
      "can't start collecting new message: 3 chunks of 10 bytes cannot hold exactly 5 bytes (expected 1 chunks)",
    );
  });
});
