// The local `walrus daemon`: publisher and aggregator behind one URL, talking to the storage nodes
// over loopback HTTP like any Walrus client, and to the local ledger in place of Sui.
import type { EncoderPool } from '../../walrus/codec/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Committee } from '../committee.ts';
import { ApiError, DAEMON_DOMAIN } from '../http/api-status.ts';
import { blobIdToText } from '../../walrus/codec/index.ts';
import { HttpEndpoint } from '../http/endpoint.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { Aggregator } from './aggregator.ts';
import { BackgroundTasks } from './background.ts';
import { registerDaemonRoutes } from './daemon-routes.ts';
import { NodeClient } from '../../walrus/nodes/node-client.ts';
import { Publisher } from './publisher.ts';
import { SliverReader } from '../../walrus/nodes/sliver-reader.ts';

export interface DaemonOptions {
  readonly ledger: Ledger;
  readonly committee: Committee;
  /** Storage node URLs by committee index. */
  readonly nodeUrls: readonly string[];
  readonly encoder: EncoderPool;
  readonly host: string;
  readonly port: number;
  readonly maxBlobBodyBytes: number;
  readonly confirmationTimeoutMs: number;
  /** Memory for verified blobs (src/walrus/nodes/verified-blobs.ts). */
  readonly aggregatorCacheBytes: number;
  readonly publisherAddress: string;
  readonly logger: Logger;
  /** Requests in flight per storage node. @default 32 */
  readonly nodeConcurrency?: number;
  /** Timeout of one request to a storage node. @default 30000 */
  readonly nodeRequestTimeoutMs?: number;
}

export class Daemon {
  readonly #endpoint: HttpEndpoint;
  readonly #background = new BackgroundTasks();
  readonly #nodes: readonly NodeClient[];

  constructor(options: DaemonOptions) {
    const requestTimeoutMs = options.nodeRequestTimeoutMs ?? 30_000;
    const nodes = options.nodeUrls.map((url, index) => new NodeClient(index, url, { concurrency: options.nodeConcurrency ?? 32, timeoutMs: requestTimeoutMs }));
    this.#nodes = nodes;
    const logger = options.logger;
    const reader = new SliverReader({ committee: options.committee, nodes, encoder: options.encoder, logger, requestTimeoutMs, unavailable: blobUnavailable, inconsistent: inconsistentBlob });
    const aggregator = new Aggregator({ ledger: options.ledger, reader, encoder: options.encoder, verifiedCacheBytes: options.aggregatorCacheBytes });
    const publisher = new Publisher({
      ledger: options.ledger,
      committee: options.committee,
      nodes,
      encoder: options.encoder,
      background: this.#background,
      logger,
      confirmationTimeoutMs: options.confirmationTimeoutMs,
      requestTimeoutMs,
      // A `walrus daemon` is publisher and aggregator in one: what it just encoded is verified.
      onCertified: (blobId, data) => aggregator.rememberVerified(blobId, data),
    });
    this.#endpoint = new HttpEndpoint({
      name: 'daemon',
      host: options.host,
      port: options.port,
      bodyLimit: options.maxBlobBodyBytes,
      errorDomain: DAEMON_DOMAIN,
      logger,
      routes: (app) =>
        registerDaemonRoutes(app, {
          publisher,
          aggregator,
          maxEpochsAhead: options.ledger.maxEpochsAhead,
          publisherAddress: options.publisherAddress,
        }),
    });
  }

  get url(): string {
    return this.#endpoint.url;
  }

  get running(): boolean {
    return this.#endpoint.running;
  }

  start(): Promise<void> {
    return this.#endpoint.start();
  }

  stop(): Promise<void> {
    return this.#endpoint.stop();
  }

  /** Stops serving, cancels background uploads and waits for them. */
  async close(): Promise<void> {
    await this.#endpoint.stop();
    await this.#background.close();
    for (const node of this.#nodes) node.close();
  }
}

/** Walrus's 503 for a blob too few nodes could serve. */
function blobUnavailable(blobId: Uint8Array, detail: string): ApiError {
  return new ApiError('UNAVAILABLE', 'BLOB_UNAVAILABLE', `the requested blob is currently not retrievable from Walrus (${detail}); this may be transient — retry with backoff`, {
    metadata: { blobId: blobIdToText(blobId) },
  });
}

function inconsistentBlob(blobId: Uint8Array, detail: string): ApiError {
  return new ApiError('INTERNAL', 'INCONSISTENT_BLOB', `blob ${blobIdToText(blobId)} was encoded inconsistently: ${detail}`);
}
