// The one place where DaErrors become HTTP statuses for op-batcher and op-node (docs/wire/opstack.md
// "Status codes"). What each client does with a status decides the mapping (optimism
// op-alt-da/daclient.go):
//   404  op-alt-da's ErrNotFound: op-node enters its challenge / look-ahead logic, and for generic
//        commitments a 404 that persists past the challenge window halts derivation. So 404 means
//        "this data does not exist", never "not reachable right now" and never "malformed".
//   503  Celo's and EigenDA's op-batcher forks fail over to L1 calldata on 503; upstream retries.
//        Anything transient (Walrus/Sui/Redis down, put not certified in time) is 503.
//   400  malformed or foreign commitments, wrong keccak, empty bodies: retrying will not help.
//   401  missing or wrong chain credentials, with WWW-Authenticate: Basic (RFC 7235 section 3.1).
//   429  load shedding, with Retry-After when the admission knows when to retry (RFC 9110 10.2.3).
//   413  body over the limit.   500  a bug.
import { BackpressureError, type DaError, type DaErrorCode } from '../../core/index.ts';

/** HTTP status per DaError code. A Record over the union, so a new DaError code fails to compile here. */
export const HTTP_STATUS_BY_DA_CODE: Readonly<Record<DaErrorCode, number>> = {
  INVALID_INPUT: 400,
  INVALID_COMMITMENT: 400,
  NOT_FOUND: 404,
  // A commitment proven invalid (docs/verdicts.md): the data does not exist and never will, which
  // is what op-alt-da's ErrNotFound means to op-node (optimism op-alt-da/daclient.go).
  PROVEN_INVALID: 404,
  TOO_LARGE: 413,
  BACKPRESSURE: 429,
  // No or wrong chain credentials (HTTP Basic). Never 404: op-node reads 404 as "no such data".
  UNAUTHENTICATED: 401,
  UNAVAILABLE: 503,
  TIMEOUT: 503,
  // Aggregators served bytes that do not match: another aggregator or a later try may do better.
  INTEGRITY: 503,
  // The client hung up; nobody reads this status, but it must not look like a server bug.
  CANCELLED: 503,
  INTERNAL: 500,
};

export function httpStatusOf(error: DaError): number {
  return HTTP_STATUS_BY_DA_CODE[error.code];
}

/** JSON error body: op-alt-da ignores it, operators reading curl output do not. */
export function errorBody(error: DaError): { error: { code: DaErrorCode; message: string } } {
  return { error: { code: error.code, message: error.shortMessage } };
}

/** The realm op-batcher never reads but RFC 7235 requires; curl and browsers show it. */
export const BASIC_CHALLENGE = 'Basic realm="walrus-da"';

/**
 * Headers an error answer carries besides its status: the Basic challenge of a 401, and the
 * Retry-After of a 429 in whole seconds, rounded up so a client that waits that long is not
 * refused again for the same reason.
 */
export function httpHeadersOf(error: DaError): Readonly<Record<string, string>> {
  if (error.code === 'UNAUTHENTICATED') return { 'www-authenticate': BASIC_CHALLENGE };
  if (error instanceof BackpressureError && error.retryAfterMs !== undefined && Number.isFinite(error.retryAfterMs)) {
    return { 'retry-after': String(Math.max(0, Math.ceil(error.retryAfterMs / 1000))) };
  }
  return {};
}
