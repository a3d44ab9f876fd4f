// Handler plumbing shared by every service: each call is authenticated for its chain first
// (./chain-auth.ts; a refused call runs no handler), gets an AbortSignal that fires when the
// client cancels or the call's deadline passes (so DaService stops waiting), is timed into the
// request metrics under its chain, has whatever it throws turned into a DaError (core's
// toDaError), logged and mapped to the door's gRPC status. Handlers themselves are plain async
// functions over protobuf-es messages.
import type { EventEmitter } from 'node:events';
import { once } from 'node:events';
import { addAbortSignal } from 'node:stream';
import type {
  Deadline,
  Metadata,
  ServerReadableStream,
  ServerWritableStream,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
} from '@grpc/grpc-js';
import { CancelledError, InvalidInputError, toDaError, type DaError } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import { UNKNOWN_CHAIN, observeRequest, type Metrics, type Protocol } from '../observability/metrics.ts';
import type { Authenticate } from './chain-auth.ts';
import { UndecodableMessage } from './service-definition.ts';
import type { GrpcStatusError } from './status-error.ts';

/** One gRPC service's error policy and instruments. */
export interface Door {
  /** Metrics label: `grpc` (walrusda.v1) or `go-da`. */
  readonly protocol: Protocol;
  /** The service's one DaError → gRPC status mapping. */
  readonly toStatus: (error: DaError) => GrpcStatusError;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
}

export interface CallContext {
  /** Aborted when the client cancels, the deadline passes or the server force-closes the call. */
  readonly signal: AbortSignal;
  /** The chain the call was authenticated for (DEFAULT_CHAIN without a chains file). */
  readonly chain: string;
}

type SurfaceCall = EventEmitter & { readonly cancelled: boolean; readonly metadata: Metadata; getDeadline(): Deadline };

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wraps an async unary handler. */
export function unary<Req, Res>(
  door: Door,
  method: string,
  authenticate: Authenticate<NoInfer<Req>>,
  handler: (request: Req, context: CallContext) => Promise<Res>,
): handleUnaryCall<Req | UndecodableMessage, Res> {
  return (call, callback) => {
    const { signal, dispose } = callSignal(call);
    void run(door, method, () => admit(call, authenticate), ({ request, chain }) => handler(request, { signal, chain }))
      .then(
        (response) => callback(null, response),
        (failure: GrpcStatusError) => callback(failure),
      )
      .finally(dispose);
  };
}

/** Wraps an async client-streaming handler; it consumes the request messages as an async iterable. */
export function clientStreaming<Req, Res>(
  door: Door,
  method: string,
  authenticate: Authenticate<undefined>,
  handler: (requests: AsyncIterable<Req>, context: CallContext) => Promise<Res>,
): handleClientStreamingCall<Req | UndecodableMessage, Res> {
  return (call, callback) => {
    const { signal, dispose } = callSignal(call);
    // A cancelled call must end the handler's iteration: destroy the readable on abort.
    addAbortSignal(signal, call);
    // Authenticated from the metadata alone, before a byte of the stream is read.
    const admitted = () => ({ request: undefined, chain: authenticate(call.metadata, undefined) });
    void run(door, method, admitted, ({ chain }) => handler(decodedMessages(call), { signal, chain }))
      .then(
        (response) => callback(null, response),
        (failure: GrpcStatusError) => callback(failure),
      )
      .finally(dispose);
  };
}

/** Sends one message of a server stream, waiting for the transport when its buffer is full. */
export type Send<Res> = (message: Res) => Promise<void>;

/** Wraps an async server-streaming handler; `send` respects backpressure and cancellation. */
export function serverStreaming<Req, Res>(
  door: Door,
  method: string,
  authenticate: Authenticate<NoInfer<Req>>,
  handler: (request: Req, send: Send<Res>, context: CallContext) => Promise<void>,
): handleServerStreamingCall<Req | UndecodableMessage, Res> {
  return (call) => {
    const { signal, dispose } = callSignal(call);
    const send = sender(call, signal);
    void run(door, method, () => admit(call, authenticate), ({ request, chain }) => handler(request, send, { signal, chain }))
      .then(
        () => call.end(),
        // grpc-js turns an 'error' event on a server stream into the call's status, after any
        // messages already written (packages/grpc-js/src/server-call.ts).
        (failure: GrpcStatusError) => void call.emit('error', failure),
      )
      .finally(dispose);
  };
}

function sender<Res>(call: ServerWritableStream<unknown, Res>, signal: AbortSignal): Send<Res> {
  return async (message) => {
    signal.throwIfAborted();
    if (!call.write(message)) await once(call, 'drain', { signal });
  };
}

interface Admitted<Req> {
  readonly request: Req;
  readonly chain: string;
}

/** Decodes a single-message request and authenticates it (the namespace of a go-da request may name its chain). */
function admit<Req>(call: SurfaceCall & { readonly request: Req | UndecodableMessage }, authenticate: Authenticate<Req>): Admitted<Req> {
  const request = decoded(call.request);
  return { request, chain: authenticate(call.metadata, request) };
}

async function run<Req, T>(door: Door, method: string, admission: () => Admitted<Req>, work: (admitted: Admitted<Req>) => Promise<T>): Promise<T> {
  // Authentication runs before the timer starts, so that the request metric carries the chain;
  // a refusal is still recorded (as chain `unknown`) and answered like any other failure.
  let admitted: Admitted<Req> | undefined;
  let refusal: unknown;
  try {
    admitted = admission();
  } catch (error) {
    refusal = error;
  }
  const chain = admitted?.chain ?? UNKNOWN_CHAIN;
  try {
    return await observeRequest(
      door.metrics,
      door.protocol,
      method,
      async () => {
        try {
          if (!admitted) throw refusal;
          return await work(admitted);
        } catch (error) {
          // Converted here already so that the metrics label failures by DaError code.
          throw toDaError(error);
        }
      },
      chain,
    );
  } catch (error) {
    // The door's one catch site: an INTERNAL failure is logged here with its stack, once.
    const daError = toDaError(error, door.logger.child({ protocol: door.protocol, method, chain }));
    // Cancelled calls (the client went away, or its deadline passed) are counted; log() keeps them at debug.
    if (daError.code === 'CANCELLED') door.metrics?.clientDisconnects.inc({ protocol: door.protocol });
    log(door, method, chain, daError);
    throw door.toStatus(daError);
  }
}

/** Metadata (and so credentials) is never logged; the chain is one of the chains file's names. */
function log(door: Door, method: string, chain: string, error: DaError): void {
  const fields = { protocol: door.protocol, method, chain, code: error.code, err: error.details };
  if (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT' || error.code === 'INTEGRITY' || error.code === 'INTERNAL') door.logger.warn(fields, 'gRPC call failed');
  else door.logger.debug(fields, 'gRPC call failed');
}

function callSignal(call: SurfaceCall): { readonly signal: AbortSignal; readonly dispose: () => void } {
  const controller = new AbortController();
  const onCancelled = () => controller.abort(new CancelledError('the client cancelled the call, or the server is shutting down'));
  call.once('cancelled', onCancelled);
  // grpc-js enforces deadlines too, but whether it also emits 'cancelled' then is an internal
  // detail; a timer of our own makes sure the work stops.
  const deadline = call.getDeadline();
  const remainingMs = (deadline instanceof Date ? deadline.getTime() : deadline) - Date.now();
  // setTimeout fires at once for delays above 2^31 - 1 ms; such deadlines are as good as none.
  const timer = remainingMs < MAX_TIMER_MS ? setTimeout(() => controller.abort(new CancelledError("the call's deadline passed")), Math.max(0, remainingMs)) : undefined;
  if (call.cancelled) onCancelled();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      call.removeListener('cancelled', onCancelled);
    },
  };
}

function decoded<Req>(request: Req | UndecodableMessage): Req {
  if (request instanceof UndecodableMessage) {
    throw new InvalidInputError(`request is not a valid ${request.typeName} message: ${request.error.message}`, { cause: request.error });
  }
  return request;
}

async function* decodedMessages<Req>(call: ServerReadableStream<Req | UndecodableMessage, unknown>): AsyncGenerator<Req> {
  for await (const message of call as AsyncIterable<Req | UndecodableMessage>) yield decoded(message);
}
