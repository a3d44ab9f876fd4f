// The storage-node REST routes, with Walrus's paths, BCS bodies, status codes and reasons
// (walrus crates/walrus-service/src/node/server/routes.rs, node/errors.rs):
//
//   GET  /v1/health                                            ServiceHealthInfo
//   GET  /v1/blobs/{id}/status                                 BlobStatus
//   PUT  /v1/blobs/{id}/metadata          BCS BlobMetadata     201 stored | 200 already stored
//   GET  /v1/blobs/{id}/metadata                               BCS BlobMetadataWithId
//   GET  /v1/blobs/{id}/metadata/status                        StoredOnNodeStatus
//   PUT  /v1/blobs/{id}/slivers/{pair}/{primary|secondary}     BCS SliverData; 201 | 200
//   GET  /v1/blobs/{id}/slivers/{pair}/{primary|secondary}     BCS SliverData
//   GET  /v1/blobs/{id}/slivers/{pair}/{axis}/status           StoredOnNodeStatus
//   GET  /v1/blobs/{id}/recoverySymbols?id=r-c&proofAxis=secondary
//                                                              BCS Vec<GeneralRecoverySymbol>: symbols
//                                                              of the columns this node stores
//                                                              (./column-expander.ts); primary-axis
//                                                              proofs are not served here
//   GET  /v1/blobs/{id}/confirmation/permanent                 signed confirmation (epoch now)
//   GET  /v1/blobs/{id}/confirmation/deletable/{object id}     signed confirmation (deletable)
import { setTimeout as sleep } from 'node:timers/promises';
import { toBase58 } from '@mysten/bcs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  blobIdToText,
  checkSliverShape,
  decodeBlobMetadata,
  decodeSliverData,
  encodeBlobMetadataWithId,
  encodeRecoverySymbols,
  encodeSliverData,
  verifyBlobMetadata,
  type RecoverySymbol,
  type SliverAxis,
} from '../../walrus/codec/index.ts';
import { ColumnExpander } from './column-expander.ts';
import { sign } from '../bls.ts';
import type { CommitteeMember } from '../committee.ts';
import { ApiError, STORAGE_DOMAIN, successBody } from '../http/api-status.ts';
import { parseAxis, parseBlobIdParam, parseObjectId, parsePairIndex, parseQuery } from '../http/params.ts';
import { isRegistered } from '../ledger/blob-status.ts';
import { encodeConfirmation, type BlobPersistence } from '../messages.ts';
import type { SliverStore } from './sliver-store.ts';
import type { NodeChainView, NodeFault } from './node-types.ts';

export interface NodeRouteContext {
  readonly member: CommitteeMember;
  readonly secretKey: Uint8Array;
  readonly chain: NodeChainView;
  readonly store: SliverStore;
  readonly expander: ColumnExpander;
  readonly fault: () => Required<NodeFault>;
  readonly startedAt: number;
}

type BlobParams = { blobId: string };
type SliverParams = BlobParams & { pair: string; axis: string };

const D = STORAGE_DOMAIN;

export function registerNodeRoutes(app: FastifyInstance, ctx: NodeRouteContext): void {
  const { chain, store, member } = ctx;
  const n = chain.nShards;

  app.addHook('onRequest', async () => {
    const { latencyMs } = ctx.fault();
    if (latencyMs > 0) await sleep(latencyMs);
  });

  app.get('/v1/health', (request) => {
    const detailed = parseQuery(request.query, { detailed: 'bool' }, D).detailed ?? false;
    const owned = member.shards.end - member.shards.start;
    const uptimeMs = Date.now() - ctx.startedAt;
    return successBody(200, {
      uptime: { secs: Math.floor(uptimeMs / 1000), nanos: (uptimeMs % 1000) * 1_000_000 },
      epoch: chain.currentEpoch(),
      publicKey: toBase58(member.publicKey),
      nodeStatus: 'Active',
      eventProgress: { persisted: 0, pending: 0, highestFinishedEventIndex: null },
      shardSummary: { owned, ownedShardStatus: { unknown: 0, ready: owned, inTransfer: 0, inRecovery: 0 }, readOnly: 0 },
      ...(detailed
        ? { shardDetail: { owned: Array.from({ length: owned }, (_, i) => ({ shard: member.shards.start + i, status: 'ready' })), other: [] } }
        : {}),
    });
  });

  app.get<{ Params: BlobParams }>('/v1/blobs/:blobId/status', (request) => {
    const blobId = parseBlobIdParam(request.params.blobId, D);
    return successBody(200, chain.blobStatus(blobIdToText(blobId)));
  });

  app.put<{ Params: BlobParams }>('/v1/blobs/:blobId/metadata', async (request, reply) => {
    const blobId = parseBlobIdParam(request.params.blobId, D);
    parseQuery(request.query, { pending: 'bool' }, D);
    requireRegistered(chain, blobId);
    let metadata;
    try {
      metadata = decodeBlobMetadata(bodyBytes(request.body));
      verifyBlobMetadata(blobId, metadata, n);
    } catch (error) {
      throw new ApiError('INVALID_ARGUMENT', 'INVALID_METADATA', `the provided metadata failed to verify: ${(error as Error).message}`, { domain: D });
    }
    const result = await store.putMetadata(blobId, encodeBlobMetadataWithId(blobId, metadata), metadata.unencodedLength);
    return stored(reply, result, 'metadata successfully stored', 'metadata already stored');
  });

  app.get<{ Params: BlobParams }>('/v1/blobs/:blobId/metadata', async (request, reply) => {
    const blobId = parseBlobIdParam(request.params.blobId, D);
    const bytes = await store.getMetadata(blobId);
    if (!bytes) throw new ApiError('NOT_FOUND', 'METADATA_NOT_FOUND', 'the requested metadata is unavailable', { domain: D });
    return reply.type('application/octet-stream').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get<{ Params: BlobParams }>('/v1/blobs/:blobId/metadata/status', async (request) => {
    const blobId = parseBlobIdParam(request.params.blobId, D);
    return successBody(200, (await store.getMetadata(blobId)) ? 'stored' : 'nonexistent');
  });

  app.put<{ Params: SliverParams }>('/v1/blobs/:blobId/slivers/:pair/:axis', async (request, reply) => {
    const { blobId, pair, axis } = sliverParams(request.params, n);
    parseQuery(request.query, { pending: 'bool' }, D);
    const bytes = bodyBytes(request.body);
    let index: number;
    try {
      index = decodeSliverData(bytes).index;
    } catch (error) {
      throw new ApiError('INVALID_ARGUMENT', 'INVALID_SLIVER', `the provided sliver is invalid: ${(error as Error).message}`, { domain: D });
    }
    requireRegistered(chain, blobId);
    const length = await store.unencodedLength(blobId);
    if (length === undefined) throw new ApiError('FAILED_PRECONDITION', 'METADATA_NOT_FOUND', 'blob metadata is required but missing', { domain: D });
    const slot = requireSlot(ctx, blobId, pair);
    const sliverIndex = axis === 'primary' ? pair : n - 1 - pair;
    if (index !== sliverIndex) {
      throw new ApiError('INVALID_ARGUMENT', 'SLIVER_INDEX_MISMATCH', `sliver index ${index} is inconsistent with sliver pair index ${pair}`, { domain: D });
    }
    try {
      checkSliverShape(bytes, { axis, pair, nShards: n, unencodedLength: length });
    } catch (error) {
      throw new ApiError('INVALID_ARGUMENT', 'INVALID_SLIVER', `the provided sliver is invalid: ${(error as Error).message}`, { domain: D });
    }
    const result = await store.putSliver(blobId, slot, axis, bytes);
    return stored(reply, result, 'sliver stored successfully', 'sliver already stored');
  });

  app.get<{ Params: SliverParams }>('/v1/blobs/:blobId/slivers/:pair/:axis', async (request, reply) => {
    const { blobId, pair, axis } = sliverParams(request.params, n);
    const slot = requireSlot(ctx, blobId, pair);
    const bytes = await store.getSliver(blobId, slot, axis);
    if (!bytes) throw new ApiError('NOT_FOUND', 'SLIVER_NOT_FOUND', 'the requested sliver is unavailable', { domain: D });
    const served = ctx.fault().corruptSlivers ? corrupt(bytes) : bytes;
    return reply.type('application/octet-stream').send(Buffer.from(served.buffer, served.byteOffset, served.byteLength));
  });

  app.get<{ Params: SliverParams }>('/v1/blobs/:blobId/slivers/:pair/:axis/status', async (request) => {
    const { blobId, pair, axis } = sliverParams(request.params, n);
    const slot = requireSlot(ctx, blobId, pair);
    return successBody(200, (await store.hasSliver(blobId, slot, axis)) ? 'stored' : 'nonexistent');
  });

  app.get<{ Params: BlobParams; Querystring: Record<string, unknown> }>('/v1/blobs/:blobId/recoverySymbols', async (request, reply) => {
    const blobId = parseBlobIdParam(request.params.blobId, D);
    const ids = parseSymbolIds(request.query, n);
    if (!(await store.getMetadata(blobId))) throw new ApiError('NOT_FOUND', 'METADATA_NOT_FOUND', 'the requested metadata is unavailable', { domain: D });
    const columns = await ctx.expander.expanded(blobId);
    const corrupt = ctx.fault().corruptSlivers;
    const symbols: RecoverySymbol[] = [];
    for (const { row, column } of ids) {
      const expanded = columns.get(column);
      if (!expanded) continue;
      const data = expanded.symbols[row] as Uint8Array;
      symbols.push({ axis: 'primary', index: column, targetIndex: row, data: corrupt ? data.map((b) => b ^ 0xff) : data, path: ColumnExpander.proof(expanded, row) });
    }
    if (symbols.length === 0) {
      throw new ApiError('FAILED_PRECONDITION', 'SYMBOL_NOT_PRESENT_AT_SHARDS', "the requested recovery symbol is not the responsibility of this node's shards", { domain: D });
    }
    const bytes = encodeRecoverySymbols(symbols);
    return reply.type('application/octet-stream').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get<{ Params: BlobParams }>('/v1/blobs/:blobId/confirmation/permanent', async (request) => {
    const blobId = parseBlobIdParam(request.params.blobId, D);
    parseQuery(request.query, { wait_for_registration: 'bool', wait_millis: 'string' }, D);
    return confirm(ctx, blobId, { type: 'permanent' });
  });

  app.get<{ Params: BlobParams & { objectId: string } }>('/v1/blobs/:blobId/confirmation/deletable/:objectId', async (request) => {
    const blobId = parseBlobIdParam(request.params.blobId, D);
    const objectId = parseObjectId(request.params.objectId, 'object id', D);
    parseQuery(request.query, { wait_for_registration: 'bool', wait_millis: 'string' }, D);
    const blob = chain.blobObject(objectId);
    if (!blob || !blob.deletable || blob.blobId !== blobIdToText(blobId) || blob.storage.endEpoch <= chain.currentEpoch()) {
      throw new ApiError('FAILED_PRECONDITION', 'NOT_REGISTERED', 'the blob has not been registered or has already expired', { domain: D });
    }
    return confirm(ctx, blobId, { type: 'deletable', objectId });
  });
}

async function confirm(ctx: NodeRouteContext, blobId: Uint8Array, persistence: BlobPersistence): Promise<object> {
  requireRegistered(ctx.chain, blobId);
  if (!(await ctx.store.isComplete(blobId))) {
    throw new ApiError('FAILED_PRECONDITION', 'MISSING_SLIVERS', 'the required slivers are not all stored', { domain: D });
  }
  const message = encodeConfirmation({ epoch: ctx.chain.currentEpoch(), blobId, persistence });
  const signature = sign(ctx.secretKey, message);
  return successBody(200, { signed: { serializedMessage: Buffer.from(message).toString('base64'), signature: Buffer.from(signature).toString('base64') } });
}

function sliverParams(params: SliverParams, nShards: number): { blobId: Uint8Array; pair: number; axis: SliverAxis } {
  return { blobId: parseBlobIdParam(params.blobId, D), pair: parsePairIndex(params.pair, nShards, D), axis: parseAxis(params.axis, D) };
}

/** `id=<row>-<column>` (one or many) and `proofAxis=secondary`, as walrus-storage-node-client sends them. */
function parseSymbolIds(query: Record<string, unknown>, nShards: number): { row: number; column: number }[] {
  const { id, proofAxis, ...rest } = query;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ApiError('INVALID_ARGUMENT', 'INVALID_FILTER', `the filter is invalid: unknown query parameter ${unknown[0]}`, { domain: D });
  if (proofAxis !== undefined && proofAxis !== 'secondary') {
    throw new ApiError('INVALID_ARGUMENT', 'INVALID_FILTER', `the filter is invalid: this node serves proofs from the secondary axis only, not ${JSON.stringify(proofAxis)}`, { domain: D });
  }
  const texts = id === undefined ? [] : Array.isArray(id) ? id : [id];
  if (texts.length === 0) throw new ApiError('FAILED_PRECONDITION', 'NO_SYMBOLS_SPECIFIED', 'at least one symbol ID must be specified', { domain: D });
  return texts.map((text) => {
    const match = typeof text === 'string' ? /^(\d{1,5})-(\d{1,5})$/.exec(text) : null;
    const row = Number(match?.[1]);
    const column = Number(match?.[2]);
    if (!match || row >= nShards || column >= nShards) {
      throw new ApiError('INVALID_ARGUMENT', 'RECOVERY_SYMBOL_OUT_OF_RANGE', `the requested recovery symbol is out of range: ${String(text)}`, { domain: D });
    }
    return { row, column };
  });
}

function requireRegistered(chain: NodeChainView, blobId: Uint8Array): void {
  if (!isRegistered(chain.blobStatus(blobIdToText(blobId)))) {
    throw new ApiError('FAILED_PRECONDITION', 'NOT_REGISTERED', 'the blob has not been registered or has already expired', { domain: D });
  }
}

function requireSlot(ctx: NodeRouteContext, blobId: Uint8Array, pair: number): number {
  const slot = ctx.store.slotOf(blobId, pair);
  if (slot === undefined) {
    const shard = ctx.store.shardOf(blobId, pair);
    throw new ApiError('FAILED_PRECONDITION', 'SHARD_NOT_ASSIGNED', `shard ${shard} is not assigned to this node in epoch ${ctx.chain.currentEpoch()}`, {
      domain: D,
      metadata: { shard, epoch: ctx.chain.currentEpoch() },
    });
  }
  return slot;
}

function stored(reply: FastifyReply, result: 'stored' | 'already-stored', created: string, already: string): object {
  const code = result === 'stored' ? 201 : 200;
  void reply.code(code);
  return successBody(code, result === 'stored' ? created : already);
}

function bodyBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  throw new ApiError('INVALID_ARGUMENT', 'MALFORMED_REQUEST', 'the request needs a binary (BCS) body', { domain: D });
}

/** The same BCS framing with every symbol byte inverted: decodes fine, fails any hash check. */
function corrupt(bcsBytes: Uint8Array): Uint8Array {
  const sliver = decodeSliverData(bcsBytes);
  return encodeSliverData({ ...sliver, data: sliver.data.map((b) => b ^ 0xff) });
}
