// The one place where walrus-da failures become what a Nitro node reads (docs/wire/orbit.md
// "Errors"). Nitro looks only at the
// error text, by substring (nitro daprovider/reader.go IsCertificateValidationError,
// daprovider/writer.go ErrFallbackRequested / ErrMessageTooLarge, daprovider/daclient/daclient.go),
// and each substring triggers something drastic:
//
//   "certificate validation failed"              reader, validator: the batch is EMPTY, forever
//   "DA provider requests fallback to next writer"  batch poster: post this batch via AnyTrust / L1
//   "message too large for current DA backend"     batch poster: re-query the size, rebuild smaller
//   anything else                                 reader: sync stops at this batch and retries;
//                                                 writer: posting stops, retried after error-delay
//
// So the mapping is by operation, and every other message is scrubbed of those phrases, so that
// text quoted from a dependency (a publisher's error page, say) can never trigger one by accident.
import { DaError, ProvenInvalidError, toDaError, type CoreLogger, type DaErrorCode, type ProofGround } from '../../core/index.ts';
import { JsonRpcError, RPC_DEFAULT_ERROR } from './geth-rpc/json-rpc-error.ts';

/** Nitro's sentinel texts (daprovider/reader.go, daprovider/writer.go). */
export const CERTIFICATE_VALIDATION_FAILED = 'certificate validation failed';
export const FALLBACK_REQUESTED = 'DA provider requests fallback to next writer';
export const MESSAGE_TOO_LARGE = 'message too large for current DA backend';

/**
 * What the failing call was doing: `store` (store and the chunked-store trio), `read`
 * (recoverPayload, collectPreimages, recoverPayloadAndPreimages), `proof` (generate*Proof) or
 * `info` (header bytes, max size).
 */
export type OrbitOperation = 'store' | 'read' | 'proof' | 'info';

/**
 * Thrown by the read methods, and only by them, when the certificate in `sequencerMsg` cannot be
 * decoded. It is the one failure that is a pure function of the certificate bytes (and the
 * deployment's DA byte), hence the only one Nitro may turn into an empty batch.
 */
export class InvalidCertificateError extends DaError {
  readonly code: DaErrorCode = 'INVALID_COMMITMENT';
}

/**
 * The door's one catch site (the dispatcher's `mapError`): a JsonRpcError (bad params and the
 * like) is ready for the wire; anything else takes core's one road to a DaError, which logs an
 * INTERNAL failure with its stack on `logger`, and then the mapping below.
 */
export function toOrbitRpcError(error: unknown, operation: OrbitOperation, logger?: CoreLogger): JsonRpcError {
  if (error instanceof JsonRpcError) return error;
  return orbitRpcError(toDaError(error, logger), operation);
}

/** The one DaError → JSON-RPC error mapping of the Orbit door, by operation. */
export function orbitRpcError(error: DaError, operation: OrbitOperation): JsonRpcError {
  if (error instanceof InvalidCertificateError) {
    // Wrong first bytes, another provider's DA byte, an unknown body version, a bad length: the
    // certificate is invalid for every node, at any time, and Nitro must treat the batch as empty.
    return new JsonRpcError(RPC_DEFAULT_ERROR, `${CERTIFICATE_VALIDATION_FAILED}: ${error.shortMessage}`, error.code, { cause: error });
  }
  if (operation === 'read' && error instanceof ProvenInvalidError && EMPTIES_THE_BATCH[error.ground]) {
    // Proven from Walrus's certificate of the quilt and a few symbols of its columns, verified
    // against the quilt id: the same for every node, at any time, and decidable by a future
    // on-chain validateCertificate (docs/wire/orbit.md "Payload and validity").
    return new JsonRpcError(RPC_DEFAULT_ERROR, `${CERTIFICATE_VALIDATION_FAILED}: ${scrub(error.shortMessage)}`, error.code, { cause: error });
  }
  // Everything else, an InvalidCommitmentError included: one raised while *reading* (say, by an
  // adapter parsing what an aggregator sent) says nothing certain about the certificate. The
  // reason quotes the error's causes (details), except what toDaError hid from clients.
  return new JsonRpcError(RPC_DEFAULT_ERROR, messageFor(error.code, operation, scrub(error.details)), error.code, { cause: error });
}

/**
 * Which proofs empty an Orbit batch: only those BoLD's one-step proofs can reproduce on L1 from
 * the certificate, Walrus's certificate of the quilt and a few sliver symbols proven against the
 * quilt id (docs/wire/orbit.md "Payload and validity"). `object` needs Sui state and
 * `wrong-data` hashing the whole patch: neither can be checked on L1, so those halt the node
 * (retried) rather than empty the batch; only a broken or malicious poster can cause them.
 */
const EMPTIES_THE_BATCH: Readonly<Record<ProofGround, boolean>> = {
  'no-patch': true,
  'other-patch': true,
  object: false,
  'wrong-data': false,
};

function messageFor(code: DaErrorCode, operation: OrbitOperation, reason: string): string {
  switch (operation) {
    case 'store':
      return storeMessage(code, reason);
    case 'read':
      return readMessage(code, reason);
    case 'proof':
    case 'info':
      return reason;
  }
}

/** store, startChunkedStore, sendChunk, commitChunkedStore. */
function storeMessage(code: DaErrorCode, reason: string): string {
  switch (code) {
    // Walrus or Sui cannot certify the batch in time, or we are saturated: ask the poster to use
    // the next writer (AnyTrust, then L1) rather than stall the chain. The frame may stay queued
    // and get certified later; an unreferenced blob is the only cost.
    case 'UNAVAILABLE':
    case 'TIMEOUT':
    case 'BACKPRESSURE':
      return `${FALLBACK_REQUESTED}: ${reason}`;
    // Over our maximum: the poster re-reads getMaxMessageSize and rebuilds the batch for us.
    case 'TOO_LARGE':
      return `${MESSAGE_TOO_LARGE}: ${reason}`;
    // Bad input (an empty message, a chunked-store protocol violation with Nitro's own wording)
    // is a client bug that falling back would only hide. CANCELLED: the poster went away and
    // nobody reads this answer. NOT_FOUND, INTEGRITY, INTERNAL, PROVEN_INVALID cannot happen on a write and
    // would be bugs: no fallback, an operator looks ("DA writer failed, operator action
    // required") and the poster retries after its error-delay.
    // UNAUTHENTICATED: a poster with a wrong chain JWT must be fixed, not silently sent to L1.
    case 'INVALID_INPUT':
    case 'INVALID_COMMITMENT':
    case 'UNAUTHENTICATED':
    case 'CANCELLED':
    case 'NOT_FOUND':
    case 'INTEGRITY':
    case 'INTERNAL':
    case 'PROVEN_INVALID':
      return reason;
  }
}

/** recoverPayload, collectPreimages, recoverPayloadAndPreimages (after the certificate decoded). */
function readMessage(code: DaErrorCode, reason: string): string {
  switch (code) {
    // Every code is retried: once the certificate has decoded, only a ProvenInvalidError on a
    // ground L1 can check proves it invalid for every node, and orbitRpcError answered that one
    // already. PROVEN_INVALID here is a proof L1 cannot check (EMPTIES_THE_BATCH): halt rather
    // than diverge from what a one-step proof would decide.
    //
    // NOT_FOUND, UNAVAILABLE, TIMEOUT, BACKPRESSURE, CANCELLED may change with time or differ
    // between nodes (the data is not visible yet, Sui or an aggregator is down, our own Redis
    // lost it, the caller went away); an empty batch would be a permanent, node-local
    // divergence. A well-formed certificate whose data never appears halts the chain until an
    // operator acts: a halt can be repaired, a divergence cannot.
    //
    // INTEGRITY means every source we tried served bytes whose keccak is not the certificate's.
    // Those sources (our cache, the configured aggregators, a whole blob fetched through an
    // aggregator) are not authenticated against the quilt's blob id, so the mismatch is a fact
    // about this node's sources, not about the certificate and what Walrus stores: a node with
    // other aggregators could read the right bytes. Only the storage nodes' read, verified
    // against the blob id, proves the certificate wrong: that arrives as PROVEN_INVALID.
    //
    // INVALID_COMMITMENT here comes from somewhere other than our decoding of the certificate
    // (an adapter parsing an aggregator's answer, say): not a fact about the certificate.
    // INVALID_INPUT, TOO_LARGE, INTERNAL: bugs or impossible inputs, retried like an outage
    // rather than emptying a batch.
    // UNAUTHENTICATED: reads are open unless --chains-auth-reads; a node with wrong credentials
    // retries until an operator fixes them, as for an outage.
    case 'UNAUTHENTICATED':
    case 'NOT_FOUND':
    case 'UNAVAILABLE':
    case 'TIMEOUT':
    case 'BACKPRESSURE':
    case 'CANCELLED':
    case 'INTEGRITY':
    case 'INVALID_COMMITMENT':
    case 'INVALID_INPUT':
    case 'TOO_LARGE':
    case 'INTERNAL':
    case 'PROVEN_INVALID':
      return `walrus-da could not read the batch (${code}); the node should retry: ${reason}`;
  }
}

/** Defuses Nitro's sentinel phrases inside text we did not write ourselves. */
export function scrub(text: string): string {
  return text
    .replaceAll(CERTIFICATE_VALIDATION_FAILED, 'certificate validation did not complete')
    .replaceAll(FALLBACK_REQUESTED, 'DA provider fallback (not requested here)')
    .replaceAll(MESSAGE_TOO_LARGE, 'message size limit of the DA backend');
}

/** The error both proof methods answer with until walrus-da has an on-chain proof validator. */
export function proofsNotSupported(method: string): JsonRpcError {
  return new JsonRpcError(
    RPC_DEFAULT_ERROR,
    `${method} is not supported: walrus-da has no on-chain proof validator (ICustomDAProofValidator) yet, so BoLD one-step proofs cannot be made for walrus-da batches; chains that need BoLD fraud proofs cannot use walrus-da yet`,
    'NOT_SUPPORTED',
  );
}
