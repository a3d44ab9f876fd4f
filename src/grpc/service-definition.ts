// The seam between protobuf-es v2 descriptors and @grpc/grpc-js. protobuf-es generates no grpc-js
// stubs, only a `GenService` descriptor; this turns one into the `ServiceDefinition` grpc-js
// serves (and builds clients from); docs/wire/grpc.md "Node stack".
// grpc-js looks a handler up by the definition key, then by `originalName`
// (grpc/grpc-node packages/grpc-js/src/server.ts `addService`), so keys are protobuf-es local
// names (`getIds`) and paths keep the proto names (`/da.DAService/GetIds`).
//
// Requests that are not valid protobuf are handed to the handler as an `UndecodableMessage`
// instead of throwing: grpc-js answers a throwing deserializer with INTERNAL "Error deserializing
// request" (packages/grpc-js/src/server-interceptors.ts), but garbage from a client is the
// client's fault, so the handler wrappers (./call.ts) answer INVALID_ARGUMENT instead.
import { create, fromBinary, toBinary, type DescMessage, type DescService, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { status } from '@grpc/grpc-js';
import type {
  MethodDefinition,
  Server,
  ServiceDefinition,
  UntypedHandleCall,
  UntypedServiceImplementation,
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
} from '@grpc/grpc-js';

/** A request message that failed to parse; handlers reject it with INVALID_ARGUMENT. */
export class UndecodableMessage {
  readonly typeName: string;
  readonly error: Error;

  constructor(typeName: string, error: Error) {
    this.typeName = typeName;
    this.error = error;
  }
}

type Method = GenServiceMethods[string];
/** What a server handler receives: the parsed request, or why it did not parse. */
export type RequestOf<M extends Method> = MessageShape<M['input']> | UndecodableMessage;
export type ResponseOf<M extends Method> = MessageShape<M['output']>;

/** The grpc-js handler type of one generated method, chosen by its streaming kind. */
export type HandlerOf<M extends Method> = M['methodKind'] extends 'unary'
  ? handleUnaryCall<RequestOf<M>, ResponseOf<M>>
  : M['methodKind'] extends 'server_streaming'
    ? handleServerStreamingCall<RequestOf<M>, ResponseOf<M>>
    : M['methodKind'] extends 'client_streaming'
      ? handleClientStreamingCall<RequestOf<M>, ResponseOf<M>>
      : handleBidiStreamingCall<RequestOf<M>, ResponseOf<M>>;

/** A typed implementation of a generated service: one grpc-js handler per method local name. */
export type ServiceImplementation<M extends GenServiceMethods> = { readonly [K in keyof M]: HandlerOf<M[K]> };

/** The grpc-js method path of a protobuf method, e.g. `/da.DAService/GetIds`. */
export function methodPath(service: DescService, methodName: string): string {
  return `/${service.typeName}/${methodName}`;
}

/** Builds the grpc-js `ServiceDefinition` of a protobuf-es service descriptor. */
export function serviceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    const kind = method.methodKind;
    definition[method.localName] = {
      path: methodPath(service, method.name),
      originalName: method.name,
      requestStream: kind === 'client_streaming' || kind === 'bidi_streaming',
      responseStream: kind === 'server_streaming' || kind === 'bidi_streaming',
      requestSerialize: (message) => serialize(method.input, message),
      requestDeserialize: (bytes) => deserializeLeniently(method.input, bytes),
      responseSerialize: (message) => serialize(method.output, message),
      responseDeserialize: (bytes) => fromBinary(method.output, bytes),
    };
  }
  return definition;
}

/** Registers a typed implementation of a generated service on a grpc-js server. */
export function addService<M extends GenServiceMethods>(server: Server, service: GenService<M>, implementation: ServiceImplementation<M>): void {
  server.addService(serviceDefinition(service), implementation);
}

/** Accepts a message or a plain init object (clients built by makeGenericClientConstructor pass those). */
function serialize(schema: DescMessage, message: unknown): Buffer {
  const bytes = toBinary(schema, create(schema, message as MessageInitShape<DescMessage>));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function deserializeLeniently(schema: DescMessage, bytes: Buffer): MessageShape<DescMessage> | UndecodableMessage {
  try {
    return fromBinary(schema, bytes);
  } catch (error) {
    return new UndecodableMessage(schema.typeName, error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * A server on which services written elsewhere (grpc-health-check's Health, @grpc/reflection)
 * answer undecodable requests INVALID_ARGUMENT instead of grpc-js's INTERNAL: each method's
 * deserializer hands over an UndecodableMessage, which its handler wrapper refuses before the
 * library's handler sees it.
 */
export function lenientServer(server: Pick<Server, 'addService'>): Pick<Server, 'addService'> {
  return {
    addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation) {
      const lenient: Record<string, MethodDefinition<unknown, unknown>> = {};
      const handlers: UntypedServiceImplementation = {};
      for (const [name, method] of Object.entries(definition) as [string, MethodDefinition<unknown, unknown>][]) {
        lenient[name] = {
          ...method,
          requestDeserialize: (bytes: Buffer) => {
            try {
              return method.requestDeserialize(bytes);
            } catch (error) {
              return new UndecodableMessage(method.path, error instanceof Error ? error : new Error(String(error)));
            }
          },
        };
        const handler = implementation[name] ?? (method.originalName === undefined ? undefined : implementation[method.originalName]);
        if (handler) handlers[name] = refusingUndecodable(method, handler);
      }
      server.addService(lenient, handlers);
    },
  };
}

function invalidArgument(message: UndecodableMessage) {
  return { code: status.INVALID_ARGUMENT, details: `the request is not a valid protobuf message for ${message.typeName}: ${message.error.message}` };
}

/** The handler, behind a check that no UndecodableMessage reaches it. */
function refusingUndecodable(method: MethodDefinition<unknown, unknown>, handler: UntypedHandleCall): UntypedHandleCall {
  type AnyCall = { request?: unknown; emit(event: 'error', error: unknown): boolean; push?(chunk: unknown, encoding?: BufferEncoding): boolean };
  if (!method.requestStream) {
    // One request, decoded before the handler runs: refuse it there.
    return ((call: AnyCall, callback?: (error: unknown) => void) => {
      if (!(call.request instanceof UndecodableMessage)) return (handler as (call: AnyCall, callback?: unknown) => void)(call, callback);
      if (method.responseStream || callback === undefined) return call.emit('error', invalidArgument(call.request));
      return callback(invalidArgument(call.request));
    }) as UntypedHandleCall;
  }
  // A request stream: each message is pushed into the call as it arrives; the first one that
  // does not decode ends the call instead.
  return ((call: AnyCall, callback?: (error: unknown) => void) => {
    const push = call.push?.bind(call);
    if (push) {
      call.push = (chunk: unknown, encoding?: BufferEncoding) => {
        if (!(chunk instanceof UndecodableMessage)) return push(chunk, encoding);
        if (callback && !method.responseStream) callback(invalidArgument(chunk));
        else call.emit('error', invalidArgument(chunk));
        return false;
      };
    }
    return (handler as (call: AnyCall, callback?: unknown) => void)(call, callback);
  }) as UntypedHandleCall;
}
