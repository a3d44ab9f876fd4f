// JSON-RPC 2.0 dispatch with go-ethereum's server semantics (rpc/handler.go, rpc/json.go,
// rpc/server.go serveSingleRequest), so that a Go client cannot tell this server from a geth
// `rpc.Server`:
//
//   - one request body = one JSON value: a message, or a batch (an array) answered in order,
//     calls run one after another; notifications run but get no answer;
//   - messages are decoded like Go's encoding/json into `jsonrpcMessage`: field names match
//     case-insensitively, later duplicates win, fields of the wrong JSON type are ignored,
//     `id` is kept raw and echoed byte for byte;
//   - params are positional; a missing or null `params` means no arguments;
//   - every error text and code is geth's (see json-rpc-error.ts and hexutil.ts).
import type { CoreLogger } from '../../../core/index.ts';
import { ParamDecodeError, goString, type RpcParamType } from './hexutil.ts';
import { arrayItems, objectMembers, rawText, scanFirstValue, stringValue, type JsonSpan } from './json-scan.ts';
import {
  JsonRpcError,
  RPC_DEFAULT_ERROR,
  RPC_METHOD_NOT_FOUND,
  RPC_RESPONSE_TOO_LARGE,
  invalidParams,
  invalidRequest,
  methodNotFound,
  parseError,
} from './json-rpc-error.ts';

export interface RpcCallContext {
  /** Aborted when the HTTP client goes away. */
  readonly signal: AbortSignal;
}

export interface RpcMethod {
  readonly params: readonly RpcParamType<unknown>[];
  /** Runs the method with decoded params; resolves with the result as JSON text. */
  run(args: readonly unknown[], context: RpcCallContext): Promise<string>;
}

type ParamValues<P extends readonly RpcParamType<unknown>[]> = { -readonly [K in keyof P]: P[K] extends RpcParamType<infer T> ? T : never };

/**
 * Declares a method with typed positional params.
 * @example rpcMethod([hexBytes, hexUint64], async ([message, timeout]) => storeResult(...))
 */
export function rpcMethod<const P extends readonly RpcParamType<unknown>[]>(
  params: P,
  run: (args: ParamValues<P>, context: RpcCallContext) => Promise<string>,
): RpcMethod {
  return { params, run: (args, context) => run(args as ParamValues<P>, context) };
}

export interface RpcDispatcherOptions {
  /** Methods by full name (`namespace_method`). `rpc_modules` is added as geth does. */
  readonly methods: ReadonlyMap<string, RpcMethod>;
  /** The protocol's one mapping from what a method threw to what the caller reads. */
  readonly mapError: (error: unknown, method: string) => JsonRpcError;
  /** Wraps each call of a registered method, params decoding included (metrics). */
  readonly observe?: (method: string, run: () => Promise<string>) => Promise<string>;
  /** Most messages in one batch; geth node's default. @default 1000 */
  readonly batchItemLimit?: number;
  /** Result and error bytes after which the rest of a batch is refused; geth node's default. @default 25_000_000 */
  readonly batchResponseMaxBytes?: number;
  readonly logger?: CoreLogger;
}

/** A request message as Go decodes it into `jsonrpcMessage`. */
interface Message {
  readonly version: string;
  /** Raw JSON of `id`, undefined when absent (a notification). */
  readonly id: string | undefined;
  readonly method: string;
  readonly params: JsonSpan | undefined;
  readonly hasResult: boolean;
  readonly hasError: boolean;
}

const MAX_METHOD_NAME_BYTES = 2048; // rpc/json.go maxMethodNameLength
const EMPTY_MESSAGE: Message = { version: '', id: undefined, method: '', params: undefined, hasResult: false, hasError: false };
const RPC_ID = goString('rpc.ID');

export class RpcDispatcher {
  readonly #methods: ReadonlyMap<string, RpcMethod>;
  readonly #mapError: RpcDispatcherOptions['mapError'];
  readonly #observe: NonNullable<RpcDispatcherOptions['observe']>;
  readonly #batchItemLimit: number;
  readonly #batchResponseMaxBytes: number;
  readonly #logger: CoreLogger | undefined;

  constructor(options: RpcDispatcherOptions) {
    const methods = new Map(options.methods);
    if (!methods.has('rpc_modules')) methods.set('rpc_modules', modulesMethod([...methods.keys()]));
    this.#methods = methods;
    this.#mapError = options.mapError;
    this.#observe = options.observe ?? ((_method, run) => run());
    this.#batchItemLimit = options.batchItemLimit ?? 1000;
    this.#batchResponseMaxBytes = options.batchResponseMaxBytes ?? 25_000_000;
    this.#logger = options.logger;
  }

  /** Serves one request body; resolves with the response body, or undefined when geth writes none. */
  handle(body: string, context: RpcCallContext): Promise<string | undefined> {
    return this.serve(parseRequest(body), context);
  }

  /** Serves a body parsed by `parseRequest` (so a caller can look at its methods first). */
  async serve(request: ParsedRequest, context: RpcCallContext): Promise<string | undefined> {
    const { body, shape } = request.parsed;
    if (shape.kind === 'unparsable') return reply('null', `"error":${parseError().toJson()}`);
    if (shape.kind === 'empty') return undefined; // io.EOF: geth answers nothing
    if (shape.kind === 'batch') return this.#handleBatch(body, shape.messages, context);
    const message = shape.message;
    if (isResponse(message)) return undefined;
    if (isNotification(message)) {
      if (!message.method.endsWith('_subscription')) await this.#call(body, message, context);
      return undefined;
    }
    return this.#callMessage(body, message, context);
  }

  async #handleBatch(body: string, messages: readonly Message[], context: RpcCallContext): Promise<string | undefined> {
    if (messages.length === 0) return reply('null', `"error":${invalidRequest('empty batch').toJson()}`);
    if (messages.length > this.#batchItemLimit) {
      const firstCall = messages.find(isCall);
      return `[${reply(firstCall?.id ?? 'null', `"error":${invalidRequest('batch too large').toJson()}`)}]`;
    }
    // Responses and subscription results from the client are consumed, not answered.
    const calls = messages.filter((m) => !isResponse(m) && !(isNotification(m) && m.method.endsWith('_subscription')));
    if (calls.length === 0) return undefined;
    const replies: string[] = [];
    let responseBytes = 0;
    for (const [index, message] of calls.entries()) {
      const answer = await this.#callMessage(body, message, context);
      if (isNotification(message)) continue;
      replies.push(answer);
      responseBytes += answer.length;
      if (responseBytes > this.#batchResponseMaxBytes) {
        const tooLarge = new JsonRpcError(RPC_RESPONSE_TOO_LARGE, 'response too large', 'RESPONSE_TOO_LARGE');
        for (const rest of calls.slice(index + 1)) {
          if (!isNotification(rest)) replies.push(reply(rest.id, `"error":${tooLarge.toJson()}`));
        }
        break;
      }
    }
    return replies.length === 0 ? undefined : `[${replies.join(',')}]`;
  }

  /** geth's handleCallMsg: a call, a notification, or an invalid message. */
  async #callMessage(body: string, message: Message, context: RpcCallContext): Promise<string> {
    if (isNotification(message) || isCall(message)) {
      const member = await this.#call(body, message, context);
      return reply(message.id, member);
    }
    const error = `"error":${invalidRequest('invalid request').toJson()}`;
    return reply(hasValidId(message) ? message.id : 'null', error);
  }

  /** geth's handleCall; resolves with the `"result":…` or `"error":…` member. */
  async #call(body: string, message: Message, context: RpcCallContext): Promise<string> {
    const name = message.method;
    const nameBytes = Buffer.byteLength(name, 'utf8');
    if (nameBytes > MAX_METHOD_NAME_BYTES) {
      return `"error":${invalidRequest(`method name too long: ${nameBytes} > ${MAX_METHOD_NAME_BYTES}`).toJson()}`;
    }
    // HTTP has no subscriptions (serveSingleRequest sets allowSubscribe = false).
    if (name.endsWith('_subscribe')) {
      return `"error":${new JsonRpcError(RPC_METHOD_NOT_FOUND, 'notifications not supported', 'METHOD_NOT_FOUND').toJson()}`;
    }
    if (name.endsWith('_unsubscribe')) {
      try {
        decodeParams(body, message.params, [RPC_ID]);
      } catch (error) {
        return `"error":${(error as JsonRpcError).toJson()}`;
      }
      return `"error":${new JsonRpcError(RPC_DEFAULT_ERROR, 'subscription not found', 'NOT_FOUND').toJson()}`;
    }
    const method = this.#methods.get(name);
    if (method === undefined) return `"error":${methodNotFound(name).toJson()}`;
    try {
      const result = await this.#observe(name, () => method.run(decodeParams(body, message.params, method.params), context));
      return `"result":${result}`;
    } catch (thrown) {
      const error = thrown instanceof JsonRpcError ? thrown : this.#mapError(thrown, name);
      this.#logger?.debug({ method: name, code: error.code, rpcCode: error.rpcCode, err: error.message }, 'JSON-RPC call failed');
      return `"error":${error.toJson()}`;
    }
  }
}

type RequestShape =
  | { readonly kind: 'unparsable' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'single'; readonly message: Message }
  | { readonly kind: 'batch'; readonly messages: readonly Message[] };

/** A request body decoded once, for `RpcDispatcher.serve`. */
export interface ParsedRequest {
  /** Names of the methods the body asks to run (calls and notifications; answers from the client excluded), in order. */
  readonly methods: readonly string[];
  /** @internal what `serve` runs. */
  readonly parsed: { readonly body: string; readonly shape: RequestShape };
}

/** Reads a request body as geth's codec does, without running anything. */
export function parseRequest(body: string): ParsedRequest {
  let top: JsonSpan | undefined;
  try {
    top = scanFirstValue(body);
  } catch {
    return { methods: [], parsed: { body, shape: { kind: 'unparsable' } } };
  }
  if (top === undefined) return { methods: [], parsed: { body, shape: { kind: 'empty' } } };
  const messages = top.kind === 'array' ? arrayItems(body, top).map((item) => readMessage(body, item)) : [readMessage(body, top)];
  const methods = messages.filter((m) => !isResponse(m) && m.method !== '').map((m) => m.method);
  const [first] = messages;
  const shape: RequestShape = top.kind === 'array' || first === undefined ? { kind: 'batch', messages } : { kind: 'single', message: first };
  return { methods, parsed: { body, shape } };
}

/**
 * Decodes positional params like geth's parsePositionalArguments (rpc/json.go).
 * @throws JsonRpcError -32602 with geth's text.
 */
export function decodeParams(text: string, params: JsonSpan | undefined, types: readonly RpcParamType<unknown>[]): unknown[] {
  const args: unknown[] = [];
  if (params !== undefined && params.kind !== 'null') {
    if (params.kind !== 'array') throw invalidParams('non-array args');
    for (const [index, item] of arrayItems(text, params).entries()) {
      const type = types[index];
      if (type === undefined) throw invalidParams(`too many arguments, want at most ${types.length}`);
      try {
        args.push(type.decode(text, item));
      } catch (error) {
        const reason = error instanceof ParamDecodeError ? error.message : String(error);
        throw invalidParams(`invalid argument ${index}: ${reason}`);
      }
    }
  }
  if (args.length < types.length) throw invalidParams(`missing value for required argument ${args.length}`);
  return args;
}

function readMessage(text: string, span: JsonSpan): Message {
  if (span.kind !== 'object') return EMPTY_MESSAGE;
  let { version, id, method, params, hasResult, hasError } = EMPTY_MESSAGE;
  for (const member of objectMembers(text, span)) {
    const value = member.value;
    switch (asciiLower(member.key)) {
      case 'jsonrpc':
        if (value.kind === 'string') version = stringValue(text, value);
        break;
      case 'id':
        id = rawText(text, value);
        break;
      case 'method':
        if (value.kind === 'string') method = stringValue(text, value);
        break;
      case 'params':
        params = value;
        break;
      case 'result':
        hasResult = true;
        break;
      case 'error':
        hasError = true;
        break;
      default:
        break;
    }
  }
  return { version, id, method, params, hasResult, hasError };
}

function hasValidId(message: Message): message is Message & { readonly id: string } {
  return message.id !== undefined && message.id.length > 0 && message.id[0] !== '{' && message.id[0] !== '[';
}

function isNotification(message: Message): boolean {
  return message.version === '2.0' && message.id === undefined && message.method !== '';
}

function isCall(message: Message): message is Message & { readonly id: string } {
  return message.version === '2.0' && hasValidId(message) && message.method !== '';
}

function isResponse(message: Message): boolean {
  return message.version === '2.0' && hasValidId(message) && message.method === '' && message.params === undefined && (message.hasResult || message.hasError);
}

/** rpc/json.go appendMessage: `id` is left out entirely when the request had none. */
function reply(id: string | undefined, member: string): string {
  return id === undefined ? `{"jsonrpc":"2.0",${member}}` : `{"jsonrpc":"2.0","id":${id},${member}}`;
}

/** Go's field-name folding for ASCII names. */
function asciiLower(key: string): string {
  return key.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** geth registers `rpc_modules` on every server: each namespace maps to "1.0", keys sorted. */
function modulesMethod(names: readonly string[]): RpcMethod {
  const namespaces = [...new Set([...names.map((n) => n.split('_')[0] ?? n), 'rpc'])].sort();
  const result = `{${namespaces.map((ns) => `${JSON.stringify(ns)}:"1.0"`).join(',')}}`;
  return { params: [], run: () => Promise.resolve(result) };
}
