// go-da's da.DAService over DaService, for Rollkit <= v0.14 nodes (`--rollkit.da_address
// grpc://host:3101`). Semantics, where go-da leaves them to the implementation:
//
// - IDs are `u64 LE height ‖ 102-byte commitment body` (./ids.ts); the height is walrus-da's
//   per-deployment batch sequence (FrameCommitment.height), so ids[0] gives Rollkit its DA height.
// - Submit is synchronous, as go-da documents (rollkit/go-da da.go): every blob goes through
//   DaService.put in parallel (so they can share one quilt) and the IDs come back once all are
//   certified on Sui. Storing identical bytes again returns the same ID (content-addressed).
// - Get returns the blobs in order. A go-da Go client receives at most 4 MiB per message (grpc-go
//   default, and go-da sets no call options: proxy/grpc/client.go), so MaxBlobSize leaves room for
//   the envelope and a Get whose response would exceed the limit fails with ErrBlobSizeOverLimit
//   before it is sent, instead of failing opaquely in the client.
// - GetIds(height): a committed height → the IDs of its frames (quilt order) and the batch's
//   commit time; a height at or below the newest one without a batch → no IDs and the current
//   time (go-da's client rejects a nil timestamp and Rollkit dereferences the result); above the
//   newest → ErrFutureHeight.
// - GetProofs: a proof is the 102-byte commitment body of a frame this deployment stored.
//   Validate(ids, proofs) is true when the proof is the ID's body and the verifier's report on it
//   passes (data keccak + Sui certification and lifetime), so it also works for IDs issued by
//   another walrus-da deployment.
// - Commit: walrus-da's commitment names the quilt and Sui object, so it cannot exist before the
//   blob is stored; Commit returns keccak256(blob), the last 32 bytes of the blob's eventual body
//   (ID bytes [78..110)), which binds the data just as the stored commitment does.
// - Namespaces, gas price and submit options are accepted and ignored: one deployment serves one
//   namespace. Rollkit skips blobs it cannot decode, so sharing a deployment still works.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs, timestampNow } from '@bufbuild/protobuf/wkt';
import { encodeBody, keccak256 } from '../../commitment/index.ts';
import { bytesToBareHex, equalBytes } from '../../bytes/index.ts';
import { InvalidInputError, NotFoundError, TooLargeError, type DaService } from '../../core/index.ts';
import { unary, type Door } from '../call.ts';
import { mapConcurrently } from '../concurrency.ts';
import {
  CommitResponseSchema,
  GetIdsResponseSchema,
  GetProofsResponseSchema,
  GetResponseSchema,
  MaxBlobSizeResponseSchema,
  SubmitResponseSchema,
  ValidateResponseSchema,
  type CommitRequest,
  type DAService,
  type GetIdsRequest,
  type GetProofsRequest,
  type GetRequest,
  type SubmitRequest,
  type ValidateRequest,
} from '../gen/da/da_pb.ts';
import type { ServiceImplementation } from '../service-definition.ts';
import { FutureHeightError } from './wire-errors.ts';
import { decodeId, encodeId, type GoDaId } from './ids.ts';

/** grpc-go's default receive limit, which go-da's client keeps (grpc/grpc-go clientconn.go). */
export const GO_CLIENT_MAX_RECEIVE_BYTES = 4 * 1024 * 1024;
/** Room MaxBlobSize leaves in a response for the protobuf envelope of one blob (≤ 10 bytes). */
const RESPONSE_ENVELOPE_BYTES = 1024;

type Methods = typeof DAService extends { method: infer M } ? M : never;

export interface GoDaServiceOptions {
  readonly service: DaService;
  readonly door: Door;
  /** Largest Get response, in bytes; raise it only if every client raised its receive limit. @default 4 MiB */
  readonly maxResponseBytes?: number;
  /** Reads, lookups and verifications in flight per call. @default 8 */
  readonly concurrency?: number;
}

/** MaxBlobSize: the frame limit, capped so that one blob always fits a Get response. */
export function goDaMaxBlobSize(maxFrameBytes: number, maxResponseBytes: number = GO_CLIENT_MAX_RECEIVE_BYTES): number {
  return Math.max(0, Math.min(maxFrameBytes, maxResponseBytes - RESPONSE_ENVELOPE_BYTES));
}

/** Bytes one blob of `length` bytes adds to a GetResponse (`repeated Blob blobs = 1`). */
export function encodedBlobBytes(length: number): number {
  const blob = length === 0 ? 0 : 1 + varintLength(length) + length; // proto3 omits empty bytes
  return 1 + varintLength(blob) + blob;
}

export function goDaImplementation(options: GoDaServiceOptions): ServiceImplementation<Methods> {
  const { service, door } = options;
  const maxResponseBytes = options.maxResponseBytes ?? GO_CLIENT_MAX_RECEIVE_BYTES;
  const concurrency = options.concurrency ?? 8;
  const maxBlobSize = goDaMaxBlobSize(service.maxFrameBytes, maxResponseBytes);

  return {
    maxBlobSize: unary(door, 'MaxBlobSize', () => Promise.resolve(create(MaxBlobSizeResponseSchema, { maxBlobSize: BigInt(maxBlobSize) }))),

    submit: unary(door, 'Submit', async (request: SubmitRequest, { signal }) => {
      const oversize = request.blobs.find((blob) => blob.value.length > maxBlobSize);
      if (oversize) throw new TooLargeError(oversize.value.length, maxBlobSize);
      // One failure fails the call; stop waiting for the others (their frames stay queued and a
      // retried Submit returns their IDs at once).
      const failed = new AbortController();
      const combined = AbortSignal.any([signal, failed.signal]);
      const results = await Promise.all(
        request.blobs.map((blob) =>
          service.put(blob.value, { signal: combined }).catch((error: unknown) => {
            failed.abort(error);
            throw error;
          }),
        ),
      );
      return create(SubmitResponseSchema, { ids: results.map(({ commitment }) => ({ value: encodeId(commitment.height, commitment.body) })) });
    }),

    get: unary(door, 'Get', async (request: GetRequest, { signal }) => {
      const ids = request.ids.map((id) => idOrNotFound(id.value));
      let responseBytes = 0;
      const blobs = await mapConcurrently(ids, concurrency, signal, async (id) => {
        const { data } = await service.get(id.body, { signal });
        responseBytes += encodedBlobBytes(data.length);
        if (responseBytes > maxResponseBytes) {
          throw new TooLargeError(responseBytes, maxResponseBytes, {
            metaMessages: [`A Get of ${ids.length} ids would not fit the ${maxResponseBytes}-byte response a go-da client accepts; ask for fewer ids per call.`],
          });
        }
        return { value: data };
      });
      return create(GetResponseSchema, { blobs });
    }),

    getIds: unary(door, 'GetIds', async (request: GetIdsRequest, { signal }) => {
      const head = await service.latestHeight({ signal });
      if (request.height > BigInt(head)) {
        throw new FutureHeightError(`height ${request.height} is above the newest batch height ${head}`);
      }
      const batch = await service.batch(Number(request.height), { signal });
      if (!batch) return create(GetIdsResponseSchema, { ids: [], timestamp: timestampNow() });
      const commitments = await mapConcurrently(batch.keys, concurrency, signal, (key) => service.commitment(key, { signal }));
      const ids = commitments.flatMap((commitment, index) => {
        if (commitment) return [{ value: encodeId(commitment.height, commitment.body) }];
        door.logger.warn({ height: batch.height, key: batch.keys[index] }, 'batch lists a frame without a commitment; leaving it out of GetIds');
        return [];
      });
      return create(GetIdsResponseSchema, { ids, timestamp: timestampFromMs(batch.committedAtMs) });
    }),

    getProofs: unary(door, 'GetProofs', async (request: GetProofsRequest, { signal }) => {
      const ids = request.ids.map((id) => idOrNotFound(id.value));
      const proofs = await mapConcurrently(ids, concurrency, signal, async (id) => {
        const commitment = await service.commitment(bytesToBareHex(id.body.frameKeccak), { signal });
        const body = commitment ? encodeBody(commitment.body) : undefined;
        if (!body || !equalBytes(body, id.bodyBytes)) throw new NotFoundError(`no frame of this deployment has the commitment in id at height ${id.height}`);
        return { value: body };
      });
      return create(GetProofsResponseSchema, { proofs });
    }),

    commit: unary(door, 'Commit', (request: CommitRequest) =>
      Promise.resolve(create(CommitResponseSchema, { commitments: request.blobs.map((blob) => ({ value: keccak256(blob.value) })) })),
    ),

    validate: unary(door, 'Validate', async (request: ValidateRequest, { signal }) => {
      if (request.ids.length !== request.proofs.length) {
        throw new InvalidInputError(`Validate needs one proof per id: got ${request.ids.length} ids and ${request.proofs.length} proofs`);
      }
      const results = await mapConcurrently(request.ids, concurrency, signal, async (id, index) => {
        const parsed = idOrUndefined(id.value);
        const proof = request.proofs[index]?.value;
        if (!parsed || !proof || !equalBytes(proof, parsed.bodyBytes)) return false;
        const report = await service.verify(parsed.body, { full: false, signal });
        return report.ok;
      });
      return create(ValidateResponseSchema, { results });
    }),
  };
}

/** go-da's conformance suite expects a malformed id to be "blob: not found" (test/test_suite.go). */
function idOrNotFound(bytes: Uint8Array): GoDaId {
  try {
    return decodeId(bytes);
  } catch (error) {
    throw new NotFoundError('no blob has this id', { cause: error });
  }
}

function idOrUndefined(bytes: Uint8Array): GoDaId | undefined {
  try {
    return decodeId(bytes);
  } catch {
    return undefined;
  }
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) length++;
  return length;
}
