// The HTTP client for one storage node, as the SDK talks to nodes (ts-sdks
// packages/walrus/src/storage-node/client.ts): BCS bodies as application/octet-stream, JSON
// envelopes back, a timeout per request, and a cap on requests in flight so ~2n sliver requests
// per blob share keep-alive connections instead of opening thousands of sockets. Shared by the
// node reader (src/walrus/nodes) and walrus-local's publisher and aggregator. Routes
// (walrus crates/walrus-service/src/node/server/routes.rs @ 3c1cacc11c):
//
//   GET /v1/health                                        JSON ServiceHealthInfo envelope
//   GET /v1/blobs/{id}/metadata                           BCS BlobMetadataWithId
//   GET /v1/blobs/{id}/slivers/{pair}/{axis}              BCS SliverData
//   GET /v1/blobs/{id}/recoverySymbols?id=r-c&proofAxis=  BCS Vec<GeneralRecoverySymbol>
//
// Nothing a node answers is trusted here: callers verify the bytes (recovery-symbol.ts, codec).
import { setMaxListeners } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { blobIdToText, type SliverAxis } from '../codec/index.ts';

/** How a blob is held on Walrus, as a storage confirmation names it. */
export type BlobPersistence = { readonly type: 'permanent' } | { readonly type: 'deletable'; readonly objectId: string };

/** The fields of a node's `GET /v1/health` answer that readers use. */
export interface NodeHealth {
  readonly epoch: number;
  readonly nodeStatus: string;
}

export class NodeRequestError extends Error {
  override readonly name = 'NodeRequestError';
  /** HTTP status, or undefined when the node could not be reached (refused, reset, timeout). */
  readonly status: number | undefined;
  /** Walrus error reason from the envelope, when the node sent one. */
  readonly reason: string | undefined;

  constructor(message: string, status?: number, reason?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.reason = reason;
  }

  /** Worth retrying: the node was unreachable or failed internally, not a refusal of the request. */
  get retryable(): boolean {
    return this.status === undefined || this.status >= 500;
  }
}

/** A counting semaphore: at most `max` tasks run at once, the rest wait in FIFO order. */
export class Limiter {
  readonly #max: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}

export interface SignedConfirmation {
  readonly serializedMessage: Uint8Array;
  readonly signature: Uint8Array;
}

/** `signal` bounded by a timeout: one signal for a whole batch of requests is far cheaper than one each. */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  setMaxListeners(0, combined); // shared by up to ~n requests, each listening for the abort
  return combined;
}

/** A node's answer, fully read. */
interface NodeResponse {
  readonly status: number;
  readonly body: Buffer;
}

/**
 * Requests to one node over a keep-alive agent (node:http: several times cheaper per request than
 * fetch, which matters at ~2n requests per blob). Every request has an inactivity timeout; an
 * optional signal cancels it (the publisher shares one per store, the aggregator one per round).
 */
export class NodeClient {
  readonly index: number;
  readonly url: string;
  readonly #host: string;
  readonly #port: number;
  readonly #agent: Agent;
  readonly #limiter: Limiter;
  readonly #timeoutMs: number;

  constructor(index: number, url: string, options: { concurrency: number; timeoutMs: number }) {
    this.index = index;
    this.url = url;
    const parsed = new URL(url);
    this.#host = parsed.hostname.replace(/^\[|\]$/g, '');
    this.#port = Number(parsed.port);
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    this.#limiter = new Limiter(options.concurrency);
    this.#timeoutMs = options.timeoutMs;
  }

  async putMetadata(blobId: Uint8Array, metadata: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.#request('PUT', `/v1/blobs/${blobIdToText(blobId)}/metadata`, metadata, signal);
  }

  async putSliver(blobId: Uint8Array, pair: number, axis: SliverAxis, sliver: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.#request('PUT', `/v1/blobs/${blobIdToText(blobId)}/slivers/${pair}/${axis}`, sliver, signal);
  }

  async getMetadata(blobId: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    return bytes(await this.#request('GET', `/v1/blobs/${blobIdToText(blobId)}/metadata`, undefined, signal));
  }

  async getSliver(blobId: Uint8Array, pair: number, axis: SliverAxis, signal?: AbortSignal): Promise<Uint8Array> {
    return bytes(await this.#request('GET', `/v1/blobs/${blobIdToText(blobId)}/slivers/${pair}/${axis}`, undefined, signal));
  }

  /**
   * Recovery symbols by id (`primary-secondary` sliver indices), each with a Merkle proof against
   * the `proofAxis` sliver's hash: the raw BCS answer, parsed and verified by recovery-symbol.ts.
   */
  async getRecoverySymbols(blobId: Uint8Array, ids: readonly { primary: number; secondary: number }[], proofAxis: SliverAxis, signal?: AbortSignal): Promise<Uint8Array> {
    const query = [...ids.map((id) => `id=${id.primary}-${id.secondary}`), `proofAxis=${proofAxis}`].join('&');
    return bytes(await this.#request('GET', `/v1/blobs/${blobIdToText(blobId)}/recoverySymbols?${query}`, undefined, signal));
  }

  /** `GET /v1/health`: throws NodeRequestError when the node is unreachable or answers badly. */
  async getHealth(signal?: AbortSignal): Promise<NodeHealth> {
    const response = await this.#request('GET', '/v1/health', undefined, signal);
    let body: { success?: { data?: { epoch?: unknown; nodeStatus?: unknown } } };
    try {
      body = JSON.parse(response.body.toString('utf8')) as typeof body;
    } catch (error) {
      throw new NodeRequestError(`node ${this.index} sent a health answer that is not JSON`, response.status, undefined, { cause: error });
    }
    const data = body.success?.data;
    if (typeof data?.epoch !== 'number' || typeof data.nodeStatus !== 'string') {
      throw new NodeRequestError(`node ${this.index} sent a health answer without epoch and nodeStatus`, response.status);
    }
    return { epoch: data.epoch, nodeStatus: data.nodeStatus };
  }

  async getConfirmation(blobId: Uint8Array, persistence: BlobPersistence, signal?: AbortSignal): Promise<SignedConfirmation> {
    const path =
      persistence.type === 'permanent'
        ? `/v1/blobs/${blobIdToText(blobId)}/confirmation/permanent`
        : `/v1/blobs/${blobIdToText(blobId)}/confirmation/deletable/${persistence.objectId}`;
    const response = await this.#request('GET', path, undefined, signal);
    let body: { success?: { data?: { signed?: { serializedMessage?: unknown; signature?: unknown } } } };
    try {
      body = JSON.parse(response.body.toString('utf8')) as typeof body;
    } catch (error) {
      throw new NodeRequestError(`node ${this.index} sent a confirmation that is not JSON`, response.status, undefined, { cause: error });
    }
    const signed = body.success?.data?.signed;
    if (typeof signed?.serializedMessage !== 'string' || typeof signed.signature !== 'string') {
      throw new NodeRequestError(`node ${this.index} sent a confirmation without a signed message`, response.status);
    }
    return { serializedMessage: new Uint8Array(Buffer.from(signed.serializedMessage, 'base64')), signature: new Uint8Array(Buffer.from(signed.signature, 'base64')) };
  }

  /** Closes the idle keep-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  #request(method: 'GET' | 'PUT', path: string, body: Uint8Array | undefined, signal: AbortSignal | undefined): Promise<NodeResponse> {
    return this.#limiter.run(
      () =>
        new Promise<NodeResponse>((resolve, reject) => {
          const unreachable = (error: unknown) =>
            signal?.aborted
              ? (signal.reason as Error)
              : new NodeRequestError(`node ${this.index} (${this.url}) unreachable for ${method} ${path}: ${describe(error)}`, undefined, undefined, { cause: error });
          const request = httpRequest(
            {
              host: this.#host,
              port: this.#port,
              path,
              method,
              agent: this.#agent,
              timeout: this.#timeoutMs,
              ...(signal ? { signal } : {}),
              headers: body ? { 'content-type': 'application/octet-stream', 'content-length': body.length } : { accept: 'application/octet-stream, application/json' },
            },
            (response) => {
              const chunks: Buffer[] = [];
              response.on('data', (chunk: Buffer) => chunks.push(chunk));
              response.on('error', (error) => reject(unreachable(error)));
              response.on('close', () => {
                if (!response.complete) return reject(unreachable(new Error('connection closed mid-answer')));
                const status = response.statusCode ?? 0;
                const data = Buffer.concat(chunks);
                if (status >= 200 && status < 300) return resolve({ status, body: data });
                const reason = parseReason(data.toString('utf8'));
                reject(new NodeRequestError(`node ${this.index} answered ${status} to ${method} ${path}${reason ? ` (${reason})` : ''}`, status, reason));
              });
            },
          );
          request.on('timeout', () => request.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
          request.on('error', (error) => reject(unreachable(error)));
          request.end(body);
        }),
    );
  }
}

function bytes(response: NodeResponse): Uint8Array {
  return new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength);
}

function parseReason(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { details?: { reason?: unknown }[] } };
    const reason = body.error?.details?.[0]?.reason;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/** One keep-alive NodeClient per node URL, made on first use and kept across committees. */
export class NodeClients {
  readonly #options: { concurrency: number; timeoutMs: number };
  readonly #clients = new Map<string, NodeClient>();

  constructor(options: { concurrency: number; timeoutMs: number }) {
    this.#options = options;
  }

  of(node: { readonly index: number; readonly url: string }): NodeClient {
    let client = this.#clients.get(node.url);
    if (!client) {
      client = new NodeClient(node.index, node.url, this.#options);
      this.#clients.set(node.url, client);
    }
    return client;
  }

  /** Closes every node's idle connections. */
  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
