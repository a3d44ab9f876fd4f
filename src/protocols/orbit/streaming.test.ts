// The chunked-store receiver against Nitro's own protocol tests (OffchainLabs/nitro v3.10.0,
// b1cf6db81afbc1f67c898ac9add5d37391ebd87b, daprovider/data_streaming/protocol_test.go and
// signing_test.go), with a hand-driven clock. Every request is signed by the Nitro test client's
// signer (test/orbit/support/nitro-signing.ts, written from Nitro's definition), never by the
// receiver's own streamCommitment, and both are pinned to vectors computed outside this code base.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nitroChunkSignature,
  nitroCommitSignature,
  nitroPayloadCommitment,
  nitroSigningBytes,
  nitroStartSignature,
} from '../../../test/orbit/support/nitro-signing.ts';
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
  const sig = nitroStartSignature({ timestamp, nChunks, chunkSize: BigInt(chunkSize), totalSize, timeout });
  const id = receiver.start({ timestamp, nChunks, chunkSize: BigInt(chunkSize), totalSize, timeout, sig });
  const chunks = Array.from({ length: Number(nChunks) }, (_, i) => data.subarray(i * chunkSize, (i + 1) * chunkSize));
  const sendChunk = (i: number, chunk = chunks[i] ?? new Uint8Array()) => receiver.receiveChunk(id, BigInt(i), chunk, nitroChunkSignature(id, BigInt(i), chunk));
  for (const i of options.order ?? chunks.map((_, i) => i)) sendChunk(i);
  const commit = () => receiver.finalize(id, nitroCommitSignature(id));
  return { id, chunks, sendChunk, commit };
}

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

// Chunked-store signatures as Nitro computes them: keccak256(bytes ‖ BE_u64(extra)…)
// (OffchainLabs/nitro v3.10.0 b1cf6db81afbc1f67c898ac9add5d37391ebd87b, identical at
// 6dce8d13902649a1acdfd3f2504129f1f5612358: daprovider/data_streaming/signing.go PayloadCommiter
// and flattenDataForSigning, used by the node per arbnode/node.go; the fields each call signs, in
// order, from daprovider/data_streaming/sender.go startStream, sendChunk and finalizeStream).
// Computed with a standalone python3 script: the preimage built with struct.pack('>Q', field)
// after the bytes, hashed by a Keccak-f[1600] sponge written from FIPS 202 with Keccak's 0x01
// padding (rate 136), the sponge checked against hashlib.sha3_256 under SHA-3 padding and against
// keccak256("") = c5d24601… and keccak256("abc") = 4e03657a…. Neither walrus-da code nor
// @noble/hashes took part.
const MESSAGE_ID = 0xfedcba9876543210n; // above 2^63: a signed conversion would show
const CHUNK = Uint8Array.from(Buffer.from('0077616c7275732d6461206368756e6b2034ff', 'hex')); // 00 "walrus-da chunk 4" ff
const NITRO_VECTORS = [
  {
    call: 'daprovider_startChunkedStore',
    bytes: new Uint8Array(),
    // timestamp 1750000000, 5 chunks of 2,621,144 bytes (Nitro's default for 5 MiB bodies), 10 MiB, timeout 1751296000
    extras: [0x684ee180n, 5n, 0x27fed8n, 0xa00000n, 0x6862a800n],
    preimage: '00000000684ee180' + '0000000000000005' + '000000000027fed8' + '0000000000a00000' + '000000006862a800',
    keccak256: 'bbf7fdc9964317cd68c83aabc792b013a524b435e11c8143c4a01f40fcc0b379',
  },
  {
    call: 'daprovider_sendChunk',
    bytes: CHUNK,
    extras: [MESSAGE_ID, 4n],
    preimage: '0077616c7275732d6461206368756e6b2034ff' + 'fedcba9876543210' + '0000000000000004',
    keccak256: '92a5ba5401284d01e8062eaac8f65ca3942d4096b259ba9532b6d7a987227f6e',
  },
  {
    call: 'daprovider_commitChunkedStore',
    bytes: new Uint8Array(),
    extras: [MESSAGE_ID],
    preimage: 'fedcba9876543210',
    keccak256: '7f5552b98520a868ba0fb354fc32c13aa070cdb10b3b69cb524f5e4161655523',
  },
  {
    call: 'uint64 bounds',
    bytes: Uint8Array.of(1, 2, 3),
    extras: [(1n << 64n) - 1n, 0n],
    preimage: '010203' + 'ffffffffffffffff' + '0000000000000000',
    keccak256: 'c78a062cb5af0070a9953a84f27df11804ad6acdbbe745eecf016ffd26bd9d4c',
  },
  {
    // 316-byte preimage: absorbed over three 136-byte blocks.
    call: 'multi-block chunk',
    bytes: Uint8Array.from({ length: 300 }, (_, i) => (i * 7 + 3) & 0xff),
    extras: [1n, 0n],
    preimage: undefined,
    keccak256: 'ac65e759cb2ea6a9e49d14c91540b9d9bd53acd91ca65c78f45ec28e49293c24',
  },
] as const;

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('chunked-store signatures (Nitro signing.go PayloadCommiter), against independent vectors', () => {
  it.each(NITRO_VECTORS.map((v) => [v.call, v] as const))('%s', (_, vector) => {
    if (vector.preimage !== undefined) expect(toHex(nitroSigningBytes(vector.bytes, ...vector.extras))).toBe(vector.preimage);
    expect(toHex(nitroPayloadCommitment(vector.bytes, ...vector.extras))).toBe(vector.keccak256);
    expect(toHex(streamCommitment(vector.bytes, ...vector.extras))).toBe(vector.keccak256);
  });

  it('the test client signs each call’s fields in sender.go’s order', () => {
    const [start, chunk, commit] = NITRO_VECTORS;
    expect(toHex(nitroStartSignature({ timestamp: 1_750_000_000n, nChunks: 5n, chunkSize: 2_621_144n, totalSize: 10_485_760n, timeout: 1_751_296_000n }))).toBe(start.keccak256);
    expect(toHex(nitroChunkSignature(MESSAGE_ID, 4n, CHUNK))).toBe(chunk.keccak256);
    expect(toHex(nitroCommitSignature(MESSAGE_ID))).toBe(commit.keccak256);
  });

  it('the receiver accepts the pinned start signature, and no other', () => {
    const { receiver, clock } = setup({ maxMessageSize: 10_485_760 });
    clock.now = 1_750_000_000_000;
    const fields = { timestamp: 1_750_000_000n, nChunks: 5n, chunkSize: 2_621_144n, totalSize: 10_485_760n, timeout: 1_751_296_000n };
    const sig = Uint8Array.from(Buffer.from(NITRO_VECTORS[0].keccak256, 'hex'));
    const flipped = Uint8Array.from(sig);
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    expect(() => receiver.start({ ...fields, sig: flipped })).toThrow('signature does not match');
    expect(() => receiver.start({ ...fields, timeout: fields.timeout + 1n, sig })).toThrow('signature does not match');
    expect(receiver.start({ ...fields, sig })).toBeGreaterThan(0n);
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
    const sig = nitroStartSignature({ ...fields, timestamp, timeout });
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
    expect(() => receiver.receiveChunk(stream.id, 1n, bytes(2, 9), nitroChunkSignature(stream.id, 1n, bytes(2)))).toThrow('signature does not match');
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
    expect(() => receiver.receiveChunk(12345n, 0n, bytes(1), nitroChunkSignature(12345n, 0n, bytes(1)))).toThrow('unknown message(12345)');
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
