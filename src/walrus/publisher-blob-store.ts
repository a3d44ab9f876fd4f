// BlobStore over Walrus's HTTP API: a publisher to store quilts and a list of aggregators to read
// them (docs/wire/walrus.md "Publisher and aggregator"). Works the same against a real
// publisher/aggregator and walrus-local.
//
// Writes: PUT /v1/blobs?epochs=N&permanent=true with the raw quilt. Blob ids are content-derived,
// so a repeat of a store answers `alreadyCertified`; we computed the id ourselves and refuse an
// answer about any other blob. Reads: GET /v1/blobs/by-quilt-patch-id/{id} on each aggregator in
// turn, then the whole quilt (GET /v1/blobs/{id}) and our own quilt parser as the last resort.
import { quiltPatchIdToText, type QuiltPatchId } from '../commitment/index.ts';
import { bytesToHex, hexToBytes } from '../bytes/index.ts';
import {
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  TooLargeError,
  UnauthenticatedError,
  UnavailableError,
  type BlobStore,
  type CallOptions,
  type FetchedPatch,
  type HealthProbe,
  type PatchReadOptions,
  type StoreReceipt,
} from '../core/index.ts';
import { redactUrl, redactUrlsIn } from '../observability/logger.ts';
import { WalrusCodecError, blobIdFromText, blobIdToText, readQuiltPatch } from './codec/index.ts';
import { httpTarget } from './http-target.ts';
import { publisherAuthorization, type PublisherCredentials } from './publisher-auth.ts';
import { blobStoreResult, publisherAuthRefusal, walrusErrorMessage } from './publisher-responses.ts';

export interface PublisherBlobStoreOptions {
  /** Absent for read-only use (`walrus-da verify`); stores then fail. */
  readonly publisherUrl?: string;
  /** Tried in order for every read. */
  readonly aggregatorUrls: readonly string[];
  /** Shards of the Walrus committee, to parse whole quilts on the fallback path. */
  readonly nShards: number;
  /** Limit for one store (encoding, sliver upload and certification on the publisher). @default 600000 */
  readonly storeTimeoutMs?: number;
  /** Limit for one read request. @default 60000 */
  readonly readTimeoutMs?: number;
  /** For an authenticated publisher: a JWT per store (./publisher-auth.ts). */
  readonly credentials?: PublisherCredentials;
}

type Outcome = { readonly kind: 'found'; readonly data: Uint8Array; readonly response: Response } | { readonly kind: 'absent' } | { readonly kind: 'failed'; readonly error: string };

export class PublisherBlobStore implements BlobStore {
  readonly #o: PublisherBlobStoreOptions;

  constructor(options: PublisherBlobStoreOptions) {
    if (options.aggregatorUrls.length === 0) throw new RangeError('at least one aggregator URL is required');
    this.#o = options;
  }

  async store(quilt: Uint8Array, options: CallOptions & { readonly epochs: number; readonly expectedBlobId?: Uint8Array }): Promise<StoreReceipt> {
    const { publisherUrl } = this.#o;
    if (publisherUrl === undefined) throw new InvalidInputError('no Walrus publisher is configured');
    const { url, headers } = httpTarget(publisherUrl, 'v1/blobs');
    url.searchParams.set('epochs', String(options.epochs));
    url.searchParams.set('permanent', 'true');
    const where = `publisher ${redactUrl(publisherUrl)}`;
    const { credentials } = this.#o;
    if (credentials) headers.authorization = await publisherAuthorization(credentials, { epochs: options.epochs, size: quilt.length });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'PUT',
        body: quilt,
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        signal: deadline(options.signal, this.#o.storeTimeoutMs ?? 600_000),
      });
    } catch (error) {
      // The cause is left out: undici's messages may quote the request URL.
      throw new UnavailableError(`${where} unreachable: ${causeText(error)}`);
    }
    const text = await response.text().catch(() => '');
    // Not retryable: the same credentials are refused again. The text never quotes a token.
    const refusal = publisherAuthRefusal(response.status, text);
    if (refusal !== undefined) {
      throw new UnauthenticatedError(`${where} refused the store's credentials (${response.status} ${refusal}): ${authHint(credentials)}`);
    }
    if (response.status === 413) throw new TooLargeError(quilt.length, undefined, { metaMessages: [`${where} refused the quilt as too large (raise its --max-body-size): ${walrusErrorMessage(text)}`] });
    if (response.status === 400 || response.status === 451) throw new InvalidInputError(`${where} rejected the store (${response.status}): ${walrusErrorMessage(text)}`);
    if (response.status !== 200) throw new UnavailableError(`${where} answered ${response.status}: ${walrusErrorMessage(text)}`);
    return this.#receipt(text, options.expectedBlobId, where);
  }

  async readQuiltPatch(id: QuiltPatchId, options: PatchReadOptions): Promise<FetchedPatch> {
    const patchText = quiltPatchIdToText(id);
    const failures: string[] = [];
    let mismatches = 0;
    let absent = 0;
    for (const base of this.#o.aggregatorUrls) {
      const outcome = await this.#get(base, `v1/blobs/by-quilt-patch-id/${patchText}`, options);
      if (outcome.kind === 'found') {
        if (options.accept(outcome.data)) {
          return { identifier: outcome.response.headers.get('x-quilt-patch-identifier') ?? '', data: outcome.data, source: `${redactUrl(base)} by-quilt-patch-id` };
        }
        mismatches++;
      } else if (outcome.kind === 'absent') absent++;
      else failures.push(outcome.error);
    }
    // Last resort: the whole quilt, read through our own parser (docs/wire/walrus.md "Quilt layout").
    const quiltText = blobIdToText(id.quiltId);
    for (const base of this.#o.aggregatorUrls) {
      const outcome = await this.#get(base, `v1/blobs/${quiltText}`, options);
      if (outcome.kind === 'found') {
        try {
          const patch = readQuiltPatch(outcome.data, this.#o.nShards, { startColumn: id.startColumn, endColumn: id.endColumn });
          if (options.accept(patch.data)) return { identifier: patch.identifier, data: patch.data, source: `${redactUrl(base)} whole quilt` };
          mismatches++;
        } catch (error) {
          if (!(error instanceof WalrusCodecError)) throw error;
          mismatches++;
        }
      } else if (outcome.kind === 'absent') absent++;
      else failures.push(outcome.error);
    }
    if (mismatches > 0) throw new IntegrityError(`aggregators returned ${mismatches} answers for patch ${patchText} that do not match the commitment`);
    if (failures.length > 0) throw new UnavailableError(`no aggregator could serve patch ${patchText}: ${failures.join('; ')}`);
    throw new NotFoundError(`no aggregator knows patch ${patchText} (${absent} answered 404)`);
  }

  async readBlob(blobId: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    const text = blobIdToText(blobId);
    const failures: string[] = [];
    for (const base of this.#o.aggregatorUrls) {
      const outcome = await this.#get(base, `v1/blobs/${text}`, options);
      if (outcome.kind === 'found') return outcome.data;
      if (outcome.kind === 'failed') failures.push(outcome.error);
    }
    if (failures.length > 0) throw new UnavailableError(`no aggregator could serve blob ${text}: ${failures.join('; ')}`);
    throw new NotFoundError(`no aggregator knows blob ${text}`);
  }

  /** Reachability probes for /health: any HTTP answer below 500 counts as up. */
  probes(): HealthProbe[] {
    return [
      ...(this.#o.publisherUrl === undefined ? [] : [httpProbe('publisher', this.#o.publisherUrl)]),
      ...this.#o.aggregatorUrls.map((url, i) => httpProbe(i === 0 ? 'aggregator' : `aggregator-${i + 1}`, url)),
    ];
  }

  async #get(base: string, path: string, options: CallOptions): Promise<Outcome> {
    const where = `${redactUrl(base)}`;
    try {
      const { url, headers } = httpTarget(base, path);
      const response = await fetch(url, { headers, signal: deadline(options.signal, this.#o.readTimeoutMs ?? 60_000) });
      if (response.status === 200) return { kind: 'found', data: new Uint8Array(await response.arrayBuffer()), response };
      await response.body?.cancel();
      if (response.status === 404) return { kind: 'absent' };
      return { kind: 'failed', error: `${where} answered ${response.status}` };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { kind: 'failed', error: `${where} unreachable: ${causeText(error)}` };
    }
  }

  #receipt(text: string, expected: Uint8Array | undefined, where: string): StoreReceipt {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UnavailableError(`${where} answered 200 with a body that is not JSON: ${text.slice(0, 120)}`);
    }
    const parsed = blobStoreResult.safeParse(json);
    if (!parsed.success) throw new UnavailableError(`${where} answered 200 with an unknown shape: ${parsed.error.message.slice(0, 300)}`);
    const result = parsed.data;
    const expectedText = expected === undefined ? undefined : blobIdToText(expected);
    const checkId = (answered: string) => {
      if (expectedText !== undefined && answered !== expectedText) throw new IntegrityError(`${where} stored blob ${answered}, but the quilt's blob id is ${expectedText}`);
    };
    if ('newlyCreated' in result) {
      const { blobObject, resourceOperation, cost } = result.newlyCreated;
      checkId(blobObject.blobId);
      if (blobObject.deletable) throw new IntegrityError(`${where} created a deletable blob although permanent=true was requested`);
      const encodedLength = Object.values(resourceOperation ?? {})[0]?.encodedLength ?? blobObject.storage.storageSize;
      return {
        blobId: blobIdFromText(blobObject.blobId),
        objectId: hexToBytes(padObjectId(blobObject.id)),
        endEpoch: blobObject.storage.endEpoch,
        alreadyCertified: false,
        encodedLength,
        ...(cost !== undefined ? { costFrost: cost } : {}),
      };
    }
    if ('alreadyCertified' in result) {
      const { blobId, endEpoch, event, object } = result.alreadyCertified;
      checkId(blobId);
      return {
        blobId: blobIdFromText(blobId),
        endEpoch,
        alreadyCertified: true,
        ...(object ? { objectId: hexToBytes(padObjectId(object)) } : {}),
        ...(event ? { certifiedEvent: event } : {}),
      };
    }
    if ('markedInvalid' in result) throw new InvalidInputError(`${where}: Walrus marked blob ${result.markedInvalid.blobId} invalid`);
    throw new UnavailableError(`${where} failed to store ${expected === undefined ? 'the quilt' : bytesToHex(expected)}: ${result.error.failurePhase ?? ''} ${result.error.errorMsg ?? ''}`.trim());
  }
}

function httpProbe(name: string, base: string): HealthProbe {
  return {
    name,
    async check() {
      const started = performance.now();
      try {
        const { url, headers } = httpTarget(base, 'status');
        const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
        await response.body?.cancel();
        return { name, ok: response.status < 500, detail: `${redactUrl(base)} answered ${response.status}`, latencyMs: performance.now() - started };
      } catch (error) {
        return { name, ok: false, detail: `${redactUrl(base)} unreachable: ${causeText(error)}`, latencyMs: performance.now() - started };
      }
    },
  };
}

function deadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function padObjectId(id: string): string {
  return `0x${id.slice(2).padStart(64, '0')}`;
}

/** fetch hides the useful part (ECONNREFUSED, timeout) in `cause`; URLs in it are redacted. */
function causeText(error: unknown): string {
  if (!(error instanceof Error)) return redactUrlsIn(String(error));
  const cause = error.cause instanceof Error ? `: ${(error.cause as Error & { code?: string }).code ?? error.cause.message}` : '';
  return redactUrlsIn(`${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`);
}

/** Which setting to fix when the publisher refuses our credentials. */
function authHint(credentials: PublisherCredentials | undefined): string {
  if (credentials === undefined) return 'it requires authentication: set --publisher-jwt-secret-file (its JWT secret) or --publisher-token-file';
  if (credentials.kind === 'token') return 'the token of --publisher-token-file is wrong, expired or already used (a publisher accepts each token once)';
  return "check that --publisher-jwt-secret-file holds the publisher's --jwt-decode-secret, its algorithm is HS256, this host's clock is right, and --publisher-jwt-ttl-seconds matches its --jwt-expiring-sec";
}
