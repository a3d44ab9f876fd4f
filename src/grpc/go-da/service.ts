// go-da's da.DAService over DaService, for Rollkit <= v0.14 nodes (`--rollkit.da_address
// grpc://host:3101`). Semantics, where go-da leaves them to the implementation:
//
// - IDs are `u64 LE height ‖ 102-byte commitment body` (./ids.ts); the height is the blob's go-da
//   height in its namespace (./heights.ts, not the batch height), so ids[0] gives Rollkit its DA
//   height.
// - Submit is synchronous, as go-da documents (rollkit/go-da da.go): the blobs go through
//   DaService.putAll (admitted together, stored in parallel so they can share one quilt), and once
//   all are certified on Sui they are placed at go-da heights of the namespace, in submission
//   order. Storing identical bytes again in the same namespace returns the same ID.
// - Get returns the blobs in order. A go-da Go client receives at most 4 MiB per message (grpc-go
//   default, and go-da sets no call options: proxy/grpc/client.go), so MaxBlobSize leaves room for
//   the envelope and a Get whose response would exceed the limit fails with ErrBlobSizeOverLimit
//   before it is sent, instead of failing opaquely in the client.
// - GetIds(height, namespace): the IDs at that go-da height of the namespace, in submission order
//   and within one Get response, with the time the height was written; height 0 → no IDs and the
//   current time (go-da's client rejects a nil timestamp and Rollkit dereferences the result);
//   above the namespace's newest height → ErrFutureHeight.
// - GetProofs: a proof is the 102-byte commitment body of a frame this deployment stored.
//   Validate(ids, proofs) is true when the proof is the ID's body and the verifier's report on it
//   passes (data keccak + Sui certification and lifetime), so it also works for IDs issued by
//   another walrus-da deployment.
// - Commit: walrus-da's commitment names the quilt and Sui object, so it cannot exist before the
//   blob is stored; Commit returns keccak256(blob), the last 32 bytes of the blob's eventual body
//   (ID bytes [78..110)), which binds the data just as the stored commitment does.
// - Namespaces keep go-da heights apart, and under a chains file select the chain (./namespace.ts);
//   gas price and submit options are accepted and ignored.
// - Chains (docs/wire/grpc.md "Chains"): Submit is a write; Get, GetIds, GetProofs and Validate are
//   reads; MaxBlobSize and Commit touch no chain data and are open.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs, timestampNow } from '@bufbuild/protobuf/wkt';
import { encodeBody, keccak256 } from '../../commitment/index.ts';
import { bytesToBareHex, equalBytes } from '../../bytes/index.ts';
import { InternalError, InvalidInputError, NotFoundError, TooLargeError, type ChainDirectory, type DaService } from '../../core/index.ts';
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
import type { NamespaceHeights } from './heights.ts';
import { decodeId, encodeId, type GoDaId } from './ids.ts';
import { namespaceAuthenticators, namespaceHex } from './namespace.ts';

/** grpc-go's default receive limit, which go-da's client keeps (grpc/grpc-go clientconn.go). */
export const GO_CLIENT_MAX_RECEIVE_BYTES = 4 * 1024 * 1024;
/** Room MaxBlobSize leaves in a response for the protobuf envelope of one blob (≤ 10 bytes). */
const RESPONSE_ENVELOPE_BYTES = 1024;

type Methods = typeof DAService extends { method: infer M } ? M : never;

export interface GoDaServiceOptions {
  readonly service: DaService;
  readonly door: Door;
  /** Who may call what; without a chains file, everyone may. */
  readonly chains: ChainDirectory;
  /** Where go-da heights are kept (src/batching/batch-state.ts). */
  readonly heights: NamespaceHeights;
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
  const { service, door, heights } = options;
  const maxResponseBytes = options.maxResponseBytes ?? GO_CLIENT_MAX_RECEIVE_BYTES;
  const concurrency = options.concurrency ?? 8;
  const maxBlobSize = goDaMaxBlobSize(service.maxFrameBytes, maxResponseBytes);
  const auth = namespaceAuthenticators(options.chains);

  return {
    maxBlobSize: unary(door, 'MaxBlobSize', auth.open, () => Promise.resolve(create(MaxBlobSizeResponseSchema, { maxBlobSize: BigInt(maxBlobSize) }))),

    submit: unary(door, 'Submit', auth.write, async (request: SubmitRequest, context) => {
      const namespace = namespaceHex(request.namespace);
      const oversize = request.blobs.find((blob) => blob.value.length > maxBlobSize);
      if (oversize) throw new TooLargeError(oversize.value.length, maxBlobSize);
      // All admitted before any is queued; one failure fails the call and stops waiting for the
      // others (their frames stay queued and a retried Submit returns their IDs at once).
      const results = await service.putAll(request.blobs.map((blob) => blob.value), context);
      // Placed only once every frame is certified: a height never names a frame that is not.
      const placed = await heights.placeSubmission(
        namespace,
        results.map(({ commitment }, index) => ({ key: bytesToBareHex(commitment.body.frameKeccak), bytes: encodedBlobBytes(request.blobs[index]?.value.length ?? 0) })),
        maxResponseBytes,
      );
      return create(SubmitResponseSchema, { ids: results.map(({ commitment }, index) => ({ value: encodeId(heightAt(placed, index), commitment.body) })) });
    }),

    get: unary(door, 'Get', auth.read, async (request: GetRequest, { signal, chain }) => {
      const ids = request.ids.map((id) => idOrNotFound(id.value));
      let responseBytes = 0;
      const blobs = await mapConcurrently(ids, concurrency, signal, async (id) => {
        const { data } = await service.get(id.body, { signal, chain });
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

    getIds: unary(door, 'GetIds', auth.read, async (request: GetIdsRequest, context) => {
      const { signal } = context;
      const namespace = namespaceHex(request.namespace);
      const head = await heights.namespaceHead(namespace);
      if (request.height > BigInt(head)) {
        throw new FutureHeightError(`height ${request.height} is above the newest go-da height ${head} of namespace 0x${namespace}`);
      }
      const height = Number(request.height);
      const placed = await heights.namespaceHeight(namespace, height);
      if (!placed) {
        if (height === 0) return create(GetIdsResponseSchema, { ids: [], timestamp: timestampNow() });
        throw new InternalError(`go-da height ${height} of namespace 0x${namespace} is at or below the head ${head} but has no record`);
      }
      const commitments = await mapConcurrently(placed.keys, concurrency, signal, (key) => service.commitment(key, context));
      const ids = commitments.map((commitment, index) => {
        // Frames are placed only once committed, and commitments are kept for good.
        if (!commitment) throw new InternalError(`go-da height ${height} names frame ${placed.keys[index]} without a commitment`);
        return { value: encodeId(height, commitment.body) };
      });
      return create(GetIdsResponseSchema, { ids, timestamp: timestampFromMs(placed.placedAtMs) });
    }),

    getProofs: unary(door, 'GetProofs', auth.read, async (request: GetProofsRequest, context) => {
      const { signal } = context;
      const ids = request.ids.map((id) => idOrNotFound(id.value));
      const proofs = await mapConcurrently(ids, concurrency, signal, async (id) => {
        const commitment = await service.commitment(bytesToBareHex(id.body.frameKeccak), context);
        const body = commitment ? encodeBody(commitment.body) : undefined;
        if (!body || !equalBytes(body, id.bodyBytes)) throw new NotFoundError(`no frame of this deployment has the commitment in id at height ${id.height}`);
        return { value: body };
      });
      return create(GetProofsResponseSchema, { proofs });
    }),

    commit: unary(door, 'Commit', auth.open, (request: CommitRequest) =>
      Promise.resolve(create(CommitResponseSchema, { commitments: request.blobs.map((blob) => ({ value: keccak256(blob.value) })) })),
    ),

    validate: unary(door, 'Validate', auth.read, async (request: ValidateRequest, context) => {
      const { signal } = context;
      if (request.ids.length !== request.proofs.length) {
        throw new InvalidInputError(`Validate needs one proof per id: got ${request.ids.length} ids and ${request.proofs.length} proofs`);
      }
      const results = await mapConcurrently(request.ids, concurrency, signal, async (id, index) => {
        const parsed = idOrUndefined(id.value);
        const proof = request.proofs[index]?.value;
        if (!parsed || !proof || !equalBytes(proof, parsed.bodyBytes)) return false;
        // Validate stays steps 1–3: a certificate of an earlier epoch cannot be checked from Sui.
        const report = await service.verify(parsed.body, { ...context, full: false, certificate: false });
        return report.ok;
      });
      return create(ValidateResponseSchema, { results });
    }),
  };
}

function heightAt(heights: readonly number[], index: number): number {
  const height = heights[index];
  if (height === undefined) throw new InternalError(`no go-da height for blob ${index} of the Submit`);
  return height;
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
