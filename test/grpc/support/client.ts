// A promise-based grpc-js client built from the same generated descriptors the server uses: the
// path is `/<service>/<Method>` and messages go through protobuf-es toBinary/fromBinary, so the
// tests exercise the real wire, not the server's own adapter.
import { create, fromBinary, toBinary, type DescMessage, type DescMethod, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';

type Method<I extends DescMessage, O extends DescMessage> = DescMethod & { readonly input: I; readonly output: O };

export interface CallOptions {
  /** Milliseconds from now. */
  readonly timeoutMs?: number;
  readonly metadata?: grpc.Metadata;
}

/** A plaintext client for `host:port` that accepts messages up to `maxReceiveBytes` (grpc's 4 MiB by default). */
export function connect(url: string, maxReceiveBytes = 4 * 1024 * 1024): grpc.Client {
  return new grpc.Client(url, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': maxReceiveBytes });
}

function path(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

function serializer<I extends DescMessage>(schema: I) {
  return (message: MessageInitShape<I>) => Buffer.from(toBinary(schema, create(schema, message)));
}

function deserializer<O extends DescMessage>(schema: O) {
  return (bytes: Buffer) => fromBinary(schema, bytes);
}

function callOptions(options: CallOptions): grpc.CallOptions {
  return options.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs };
}

export function unary<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: Method<I, O>,
  request: MessageInitShape<I>,
  options: CallOptions = {},
): Promise<MessageShape<O>> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path(method),
      serializer(method.input),
      deserializer(method.output),
      request,
      options.metadata ?? new grpc.Metadata(),
      callOptions(options),
      (error, response) => (error || !response ? reject(error ?? new Error('no response')) : resolve(response)),
    );
  });
}

/** Sends `requests` as a client stream (awaiting 'drain' when the transport is full). */
export function clientStream<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: Method<I, O>,
  requests: Iterable<MessageInitShape<I>>,
  options: CallOptions = {},
): Promise<MessageShape<O>> {
  let call: grpc.ClientWritableStream<MessageInitShape<I>> | undefined;
  const result = new Promise<MessageShape<O>>((resolve, reject) => {
    call = client.makeClientStreamRequest(
      path(method),
      serializer(method.input),
      deserializer(method.output),
      options.metadata ?? new grpc.Metadata(),
      callOptions(options),
      (error, response) => (error || !response ? reject(error ?? new Error('no response')) : resolve(response)),
    );
  });
  const stream = call as unknown as grpc.ClientWritableStream<MessageInitShape<I>>;
  void (async () => {
    for (const request of requests) {
      if (!stream.write(request)) await new Promise((resolve) => stream.once('drain', resolve));
    }
    stream.end();
  })();
  return result;
}

/** Collects a server stream's messages. */
export function serverStream<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: Method<I, O>,
  request: MessageInitShape<I>,
  options: CallOptions = {},
): Promise<MessageShape<O>[]> {
  return new Promise((resolve, reject) => {
    const call = client.makeServerStreamRequest(
      path(method),
      serializer(method.input),
      deserializer(method.output),
      request,
      options.metadata ?? new grpc.Metadata(),
      callOptions(options),
    );
    const messages: MessageShape<O>[] = [];
    call.on('data', (message: MessageShape<O>) => messages.push(message));
    call.on('error', reject);
    call.on('end', () => resolve(messages));
  });
}

/** Sends raw bytes as the request of a unary method (for garbage-input tests). */
export function unaryRaw<O extends DescMessage>(client: grpc.Client, method: Method<DescMessage, O>, bytes: Uint8Array): Promise<MessageShape<O>> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path(method),
      (raw: Uint8Array) => Buffer.from(raw),
      deserializer(method.output),
      bytes,
      new grpc.Metadata(),
      {},
      (error, response) => (error || !response ? reject(error ?? new Error('no response')) : resolve(response)),
    );
  });
}

/** Awaits a call that must fail, and returns its ServiceError. */
export async function failure(call: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Hex of bytes, for comparing byte fields (grpc-js hands out Buffers, the codecs Uint8Arrays). */
export function hex(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '<undefined>' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Opens a server stream and hands back the call, for tests that watch messages as they come. */
export function openServerStream<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: Method<I, O>,
  request: MessageInitShape<I>,
): grpc.ClientReadableStream<MessageShape<O>> {
  return client.makeServerStreamRequest(path(method), serializer(method.input), deserializer(method.output), request, new grpc.Metadata(), {});
}

/** Sends `requests` on a bidi stream, half-closes, and collects every response. */
export function bidi<I extends DescMessage, O extends DescMessage>(client: grpc.Client, method: Method<I, O>, requests: readonly MessageInitShape<I>[]): Promise<MessageShape<O>[]> {
  return new Promise((resolve, reject) => {
    const call = client.makeBidiStreamRequest(path(method), serializer(method.input), deserializer(method.output), new grpc.Metadata(), {});
    const messages: MessageShape<O>[] = [];
    call.on('data', (message: MessageShape<O>) => messages.push(message));
    call.on('error', reject);
    call.on('end', () => resolve(messages));
    for (const request of requests) call.write(request);
    call.end();
  });
}
