// The receiving side of Nitro's chunked "data streaming" store (nitro
// daprovider/data_streaming/receiver.go, signing.go), used when the node runs with
// `--node.da.external-provider.use-data-streaming`:
//
//   startChunkedStore(timestamp, nChunks, chunkSize, totalSize, timeout, sig) → message id
//   sendChunk(messageId, chunkId, chunk, sig)        chunks arrive in parallel, any order
//   commitChunkedStore(messageId, sig)               → the whole message, then a normal store
//
// The "signature" is a commitment, not a signature: keccak256(data ‖ BE_u64(extra_1) ‖ …),
// data first (signing.go PayloadCommiter / PayloadCommitmentVerifier, the verifier Nitro's own
// provider server uses). Rules, errors and defaults are receiver.go's, word for word, with three
// additions that keep a hostile client from exhausting memory: totalSize may not exceed the
// maximum message size (that error carries Nitro's resize text), nChunks must be exactly
// ceil(totalSize / chunkSize), and chunks are kept in a map rather than a preallocated array.
//
// Expiry is checked against an injectable clock whenever the receiver is used, so tests need no
// sleeping; a timer also sweeps periodically so abandoned streams do not hold memory.
import { randomBytes } from 'node:crypto';
import { InvalidInputError, TooLargeError } from '../../core/index.ts';
import { keccak256 } from '../../commitment/index.ts';
import { equalBytes } from '../../bytes/index.ts';

export interface ChunkedStoreLimits {
  /** Streams open at once (receiver.go DefaultMaxPendingMessages). @default 10 */
  readonly maxPendingStreams?: number;
  /** A stream with no new chunk for this long is dropped (DefaultMessageCollectionExpiry). @default 60_000 */
  readonly inactivityExpiryMs?: number;
  /** How far a start's timestamp may be from now, and how long its signature is remembered against replay (DefaultRequestValidity). @default 300_000 */
  readonly requestValidityMs?: number;
  /** Milliseconds since the Unix epoch. @default Date.now */
  readonly clock?: () => number;
}

export interface ChunkedStoreReceiverOptions extends ChunkedStoreLimits {
  /** Largest message a stream may carry (the door's getMaxMessageSize). */
  readonly maxMessageSize: number;
}

export interface StreamStart {
  readonly timestamp: bigint;
  readonly nChunks: bigint;
  readonly chunkSize: bigint;
  readonly totalSize: bigint;
  readonly timeout: bigint;
  readonly sig: Uint8Array;
}

export interface CompletedStream {
  readonly message: Uint8Array;
  /** The `timeout` given at start (unix seconds the data must stay available until). */
  readonly timeout: bigint;
}

interface PendingStream {
  readonly nChunks: number;
  readonly chunkSize: number;
  readonly lastChunkSize: number;
  readonly totalSize: number;
  readonly timeout: bigint;
  readonly chunks: Map<number, Uint8Array>;
  lastUpdateMs: number;
}

const UINT64_MASK = (1n << 64n) - 1n;

/** `keccak256(data ‖ BE_u64(extras…))`: what the node sends as `sig` (signing.go flattenDataForSigning). */
export function streamCommitment(data: Uint8Array, ...extras: readonly bigint[]): Uint8Array {
  const flat = new Uint8Array(data.length + 8 * extras.length);
  flat.set(data, 0);
  const view = new DataView(flat.buffer);
  extras.forEach((extra, i) => view.setBigUint64(data.length + 8 * i, BigInt.asUintN(64, extra)));
  return keccak256(flat);
}

export class ChunkedStoreReceiver {
  readonly #maxMessageSize: number;
  readonly #maxPending: number;
  readonly #expiryMs: number;
  readonly #validityMs: number;
  readonly #clock: () => number;
  readonly #streams = new Map<bigint, PendingStream>();
  /** Start signatures seen, by hex, with the request time they carried (replay protection). */
  readonly #seen = new Map<string, number>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: ChunkedStoreReceiverOptions) {
    this.#maxMessageSize = options.maxMessageSize;
    this.#maxPending = options.maxPendingStreams ?? 10;
    this.#expiryMs = options.inactivityExpiryMs ?? 60_000;
    this.#validityMs = options.requestValidityMs ?? 300_000;
    this.#clock = options.clock ?? Date.now;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(this.#expiryMs, this.#validityMs));
    this.#sweeper.unref();
  }

  /** Streams currently open (after dropping expired ones). */
  get pendingStreams(): number {
    this.#sweep();
    return this.#streams.size;
  }

  /** receiver.go StartReceiving + registerNewMessage; returns the new message id. */
  start(request: StreamStart): bigint {
    const { timestamp, nChunks, chunkSize, totalSize, timeout, sig } = request;
    verify(sig, new Uint8Array(), timestamp, nChunks, chunkSize, totalSize, timeout);
    const now = this.#clock();
    this.#sweep();
    // "We keep the margin of requestValidity also to the future, in case of unsynced clocks."
    const requestMs = Number(timestamp) * 1000;
    if (Math.abs(now - requestMs) > this.#validityMs) throw new InvalidInputError('too much time has elapsed since request was signed');
    const sigKey = Buffer.from(sig).toString('hex');
    if (this.#seen.has(sigKey)) throw new InvalidInputError('we have already seen this request; aborting replayed protocol');
    this.#seen.set(sigKey, requestMs);
    // Go multiplies in uint64 and so wraps; a product that wraps to zero is refused there too.
    if (((nChunks * totalSize * chunkSize) & UINT64_MASK) === 0n) {
      throw new InvalidInputError("can't start collecting new message: neither number of chunks, total size or chunk size can be zero");
    }
    if (totalSize > BigInt(this.#maxMessageSize)) throw new TooLargeError(Number(totalSize), this.#maxMessageSize);
    const expectedChunks = (totalSize + chunkSize - 1n) / chunkSize;
    if (nChunks !== expectedChunks) {
      throw new InvalidInputError(
        `can't start collecting new message: ${nChunks} chunks of ${chunkSize} bytes cannot hold exactly ${totalSize} bytes (expected ${expectedChunks} chunks)`,
      );
    }
    if (this.#streams.size >= this.#maxPending) {
      throw new InvalidInputError(`can't start collecting new message: already ${this.#streams.size} pending`);
    }
    const id = this.#freshId();
    const size = Number(totalSize);
    const chunk = Number(chunkSize);
    this.#streams.set(id, {
      nChunks: Number(nChunks),
      chunkSize: chunk,
      lastChunkSize: ((size - 1) % chunk) + 1,
      totalSize: size,
      timeout,
      chunks: new Map(),
      lastUpdateMs: now,
    });
    return id;
  }

  /** receiver.go ReceiveChunk + addNewChunk. */
  receiveChunk(messageId: bigint, chunkId: bigint, chunk: Uint8Array, sig: Uint8Array): void {
    verify(sig, chunk, messageId, chunkId);
    this.#sweep();
    const stream = this.#streams.get(messageId);
    if (stream === undefined) throw new InvalidInputError(`unknown message(${messageId})`);
    if (chunkId >= BigInt(stream.nChunks)) {
      throw new InvalidInputError(`message(${messageId}): chunk(${chunkId}) out of range - expected ${stream.nChunks} chunks`);
    }
    const index = Number(chunkId);
    const previous = stream.chunks.get(index);
    if (previous !== undefined) {
      // An identical resend (the RPC client retries) is harmless; different bytes for the same
      // chunk leave no way to tell which is right, so the whole stream is abandoned.
      if (equalBytes(previous, chunk)) return;
      this.#streams.delete(messageId);
      throw new InvalidInputError('received different chunk data than previously; aborting protocol');
    }
    const expected = index === stream.nChunks - 1 ? stream.lastChunkSize : stream.chunkSize;
    if (chunk.length !== expected) {
      throw new InvalidInputError(`message(${messageId}): chunk(${chunkId}) has incorrect size (${chunk.length} bytes) - expecting ${expected} bytes`);
    }
    stream.chunks.set(index, chunk);
    stream.lastUpdateMs = this.#clock();
  }

  /** receiver.go FinalizeReceiving + finalizeMessage: the stream is gone afterwards, complete or not. */
  finalize(messageId: bigint, sig: Uint8Array): CompletedStream {
    verify(sig, new Uint8Array(), messageId);
    this.#sweep();
    const stream = this.#streams.get(messageId);
    this.#streams.delete(messageId);
    if (stream === undefined) throw new InvalidInputError(`unknown message(${messageId})`);
    if (stream.chunks.size !== stream.nChunks) {
      throw new InvalidInputError(`incomplete message(${messageId}): got ${stream.chunks.size}/${stream.nChunks} chunks`);
    }
    const message = new Uint8Array(stream.totalSize);
    for (let i = 0; i < stream.nChunks; i++) message.set(stream.chunks.get(i) ?? new Uint8Array(), i * stream.chunkSize);
    return { message, timeout: stream.timeout };
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#streams.clear();
    this.#seen.clear();
  }

  #sweep(): void {
    const now = this.#clock();
    for (const [id, stream] of this.#streams) {
      if (now - stream.lastUpdateMs > this.#expiryMs) this.#streams.delete(id);
    }
    for (const [sig, requestMs] of this.#seen) {
      if (requestMs < now - this.#validityMs) this.#seen.delete(sig);
    }
  }

  /** A random non-zero uint64 not in use (receiver.go uses rand.Uint64; 0 would be omitted from the JSON). */
  #freshId(): bigint {
    for (;;) {
      const id = randomBytes(8).readBigUInt64BE();
      if (id !== 0n && !this.#streams.has(id)) return id;
    }
  }
}

function verify(sig: Uint8Array, data: Uint8Array, ...extras: readonly bigint[]): void {
  if (!equalBytes(sig, streamCommitment(data, ...extras))) throw new InvalidInputError('signature does not match');
}
