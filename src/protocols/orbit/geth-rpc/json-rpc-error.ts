// JSON-RPC errors as go-ethereum's server writes them (rpc/errors.go, rpc/json.go errorMessage):
// `{"code":<int>,"message":"<text>"}`, no `data`. Clients such as Nitro's daclient look only at
// the message text, so the text is the contract; the numeric code follows geth.
import { goQuote } from './go-json.ts';

/** geth's code for any error a method returns (`errcodeDefault`). */
export const RPC_DEFAULT_ERROR = -32000;
export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
export const RPC_METHOD_NOT_FOUND = -32601;
export const RPC_INVALID_PARAMS = -32602;
export const RPC_RESPONSE_TOO_LARGE = -32003;

/** An error ready for the wire. */
export class JsonRpcError extends Error {
  override readonly name = 'JsonRpcError';
  /** The JSON-RPC error code. */
  readonly rpcCode: number;
  /** A stable label for metrics and logs: a DaError code or a JSON-RPC failure kind. */
  readonly code: string;

  constructor(rpcCode: number, message: string, code: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.rpcCode = rpcCode;
    this.code = code;
  }

  /** The `error` member of a response, byte-exact with geth. */
  toJson(): string {
    return `{"code":${this.rpcCode},"message":${goQuote(this.message)}}`;
  }
}

/** Malformed or truncated JSON (rpc/server.go messageForReadError). */
export function parseError(): JsonRpcError {
  return new JsonRpcError(RPC_PARSE_ERROR, 'parse error', 'PARSE_ERROR');
}

export function invalidRequest(message: string): JsonRpcError {
  return new JsonRpcError(RPC_INVALID_REQUEST, message, 'INVALID_REQUEST');
}

/** The exact wording Nitro's AnyTrust client matches to fall back from chunked to single-call store. */
export function methodNotFound(method: string): JsonRpcError {
  return new JsonRpcError(RPC_METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`, 'METHOD_NOT_FOUND');
}

export function invalidParams(message: string): JsonRpcError {
  return new JsonRpcError(RPC_INVALID_PARAMS, message, 'INVALID_PARAMS');
}
