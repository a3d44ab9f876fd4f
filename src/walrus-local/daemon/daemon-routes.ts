// The routes of `walrus daemon` (publisher + aggregator on one port), with Walrus's paths, query
// parameters, camelCase JSON and read headers (walrus crates/walrus-service/src/client/daemon/routes.rs;
// docs/wire/walrus.md "Publisher and aggregator"):
//
//   PUT /v1/blobs?epochs=&permanent=&deletable=&force=&send_object_to=…     BlobStoreResult JSON
//   GET /v1/blobs/{blob id}                                                 raw bytes
//   GET /v1/blobs/by-object-id/{object id}                                  raw bytes
//   GET /v1/blobs/by-quilt-patch-id/{quilt patch id}                        raw patch + X-Quilt-Patch-Identifier
//   GET /v1/blobs/by-quilt-id/{quilt id}/{identifier}                       raw patch + X-Quilt-Patch-Identifier
//   GET /v1/quilts/{quilt id}/patches                                       [{identifier, patch_id, tags}]
//   GET /status                                                             "OK"
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { blobIdToText, type QuiltPatch } from '../../walrus/codec/index.ts';
import { ApiError } from '../http/api-status.ts';
import { parseBlobIdParam, parseObjectId, parseQuery, parseQuiltPatchIdParam } from '../http/params.ts';
import type { Aggregator } from './aggregator.ts';
import type { PublisherAuth } from './publisher-auth.ts';
import type { Publisher } from './publisher.ts';

export interface DaemonRouteContext {
  readonly publisher: Publisher;
  readonly aggregator: Aggregator;
  readonly maxEpochsAhead: number;
  /** Owner of new Blob objects unless `send_object_to` says otherwise. */
  readonly publisherAddress: string;
  /** Set: stores need a JWT, as on an authenticated publisher (./publisher-auth.ts). */
  readonly auth?: PublisherAuth;
}

const PUBLISHER_QUERY = {
  epochs: 'u32',
  permanent: 'bool',
  deletable: 'bool',
  force: 'bool',
  encoding_type: 'string',
  quilt_version: 'string',
  reuse_resources: 'bool',
  send_object_to: 'string',
  share: 'bool',
} as const;

const READ_QUERY = { strict_consistency_check: 'bool', skip_consistency_check: 'bool' } as const;
const RS2_NAMES = new Set(['rs2', 'reed-solomon', 'redstuff/reed-solomon']);

export function registerDaemonRoutes(app: FastifyInstance, ctx: DaemonRouteContext): void {
  app.get('/status', (_request, reply) => reply.type('text/plain; charset=utf-8').send('OK'));

  app.put('/v1/blobs', async (request) => {
    const query = parseQuery(request.query, PUBLISHER_QUERY);
    const data = request.body instanceof Uint8Array ? request.body : new Uint8Array();
    // Upstream's auth layer runs before the store handler looks at the request.
    await ctx.auth?.check(request.headers.authorization, { epochs: query.epochs ?? 1, size: data.length, sendObjectTo: query.send_object_to });
    if (query.deletable && query.permanent) {
      throw new ApiError('INVALID_ARGUMENT', 'INVALID_BLOB_PERSISTENCE', 'the blob cannot be both deletable and permanent');
    }
    const epochs = query.epochs ?? 1;
    if (epochs < 1 || epochs > ctx.maxEpochsAhead) {
      throw new ApiError('INVALID_ARGUMENT', 'MALFORMED_REQUEST', `the request is malformed: epochs must be between 1 and ${ctx.maxEpochsAhead} (max_epochs_ahead), got ${epochs}`);
    }
    if (query.encoding_type !== undefined && !RS2_NAMES.has(query.encoding_type.toLowerCase())) {
      throw new ApiError('INVALID_ARGUMENT', 'MALFORMED_REQUEST', `the request is malformed: unsupported encoding type ${JSON.stringify(query.encoding_type)} (only RS2)`);
    }
    if (query.share !== undefined && query.send_object_to !== undefined) {
      throw new ApiError('INVALID_ARGUMENT', 'MALFORMED_REQUEST', 'the request is malformed: send_object_to and share are mutually exclusive');
    }
    if (query.share) throw new ApiError('INVALID_ARGUMENT', 'MALFORMED_REQUEST', 'the request is malformed: shared blobs are not supported by walrus-local');
    const owner = query.send_object_to === undefined ? ctx.publisherAddress : parseObjectId(query.send_object_to, 'send_object_to');
    // Blobs are deletable unless `permanent=true`, as in Walrus ≥ 1.33.
    return ctx.publisher.store({ data, epochs, deletable: !query.permanent, force: query.force ?? false, owner });
  });

  app.get<{ Params: { blobId: string } }>('/v1/blobs/:blobId', async (request, reply) => {
    const blobId = parseBlobIdParam(request.params.blobId);
    const strict = readOptions(request.query);
    return sendBytes(request, reply, await ctx.aggregator.readBlob(blobId, { strict }), blobIdToText(blobId));
  });

  app.get<{ Params: { objectId: string } }>('/v1/blobs/by-object-id/:objectId', async (request, reply) => {
    const blobId = ctx.aggregator.blobIdOfObject(parseObjectId(request.params.objectId, 'blob object id'));
    const strict = readOptions(request.query);
    return sendBytes(request, reply, await ctx.aggregator.readBlob(blobId, { strict }), blobIdToText(blobId));
  });

  app.get<{ Params: { patchId: string } }>('/v1/blobs/by-quilt-patch-id/:patchId', async (request, reply) => {
    const id = parseQuiltPatchIdParam(request.params.patchId);
    return sendPatch(request, reply, await ctx.aggregator.readPatch(id), blobIdToText(id.quiltId));
  });

  app.get<{ Params: { quiltId: string; identifier: string } }>('/v1/blobs/by-quilt-id/:quiltId/:identifier', async (request, reply) => {
    const quiltId = parseBlobIdParam(request.params.quiltId);
    return sendPatch(request, reply, await ctx.aggregator.readPatchByIdentifier(quiltId, request.params.identifier), blobIdToText(quiltId));
  });

  app.get<{ Params: { quiltId: string } }>('/v1/quilts/:quiltId/patches', async (request) => {
    return ctx.aggregator.listPatches(parseBlobIdParam(request.params.quiltId));
  });
}

/** `ReadOptions`: both flags at once is an error; `skip` is accepted, but we always verify. */
function readOptions(query: unknown): boolean {
  const options = parseQuery(query, READ_QUERY);
  if (options.strict_consistency_check && options.skip_consistency_check) {
    throw new ApiError('INVALID_ARGUMENT', 'INVALID_CONSISTENCY_CHECK', 'strict_consistency_check and skip_consistency_check cannot both be set');
  }
  return options.strict_consistency_check ?? false;
}

function sendPatch(request: FastifyRequest, reply: FastifyReply, patch: QuiltPatch, etag: string): FastifyReply {
  const header = identifierHeader(patch.identifier);
  if (header !== undefined) void reply.header('X-Quilt-Patch-Identifier', header);
  return sendBytes(request, reply, patch.data, etag);
}

/** Read headers of routes.rs `populate_response_headers_from_request`. */
function sendBytes(request: FastifyRequest, reply: FastifyReply, bytes: Uint8Array, etag: string): FastifyReply {
  const accept = request.headers.accept;
  const requestType = request.headers['content-type'];
  const type = accept !== undefined && !accept.includes('*') ? accept : (requestType ?? 'application/octet-stream');
  return reply
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'public, max-age=86400, stale-while-revalidate=3600')
    .header('ETag', etag)
    .type(type)
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * The identifier's UTF-8 bytes as the header value, like `HeaderValue::from_str` (Node writes a
 * latin1 string byte for byte); Walrus omits the header when a byte is not allowed (controls).
 */
function identifierHeader(identifier: string): string | undefined {
  const bytes = Buffer.from(identifier, 'utf8');
  return bytes.every((b) => b === 0x09 || (b >= 0x20 && b !== 0x7f)) ? bytes.toString('latin1') : undefined;
}
