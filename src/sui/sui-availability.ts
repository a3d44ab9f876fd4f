// AvailabilityChecker over @mysten/sui's transport-agnostic core API, so JSON-RPC, gRPC and
// GraphQL clients all work. Reads what decides availability (docs/wire/walrus.md "Availability on
// Sui"): the quilt's Blob object, and the current Walrus epoch from the staking object's inner
// state, a dynamic field keyed by its version (as @mysten/walrus's `stakingState()` does).
import type { ClientWithCoreApi } from '@mysten/sui/client';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { bigIntToLeBytes, bytesToHex, hexToBytes, leBytesToBigInt } from '../bytes/index.ts';
import {
  type AvailabilityChecker,
  type BlobObject,
  type CallOptions,
  type HealthProbe,
  type WalrusEpoch,
} from '../core/index.ts';
import { innerStateBcs, parseBcs, sui, suiObject, walrusPackage } from './sui-reads.ts';
import { BlobBcs, BlobCertifiedBcs, StakingInnerPrefixBcs } from './walrus-move-types.ts';

export interface SuiAvailabilityOptions {
  readonly client: ClientWithCoreApi;
  /** Walrus `System` shared object: its type names the Walrus package. */
  readonly systemObjectId: string;
  /** Walrus `Staking` shared object: its inner state holds the epoch and shard count. */
  readonly stakingObjectId: string;
  /** Re-read the epoch at most this often. @default 2000 */
  readonly epochCacheMs?: number;
}

export class SuiAvailability implements AvailabilityChecker {
  readonly #o: SuiAvailabilityOptions;
  #blobType: Promise<string> | undefined;
  #epoch: { readonly at: number; readonly value: Promise<WalrusEpoch> } | undefined;

  constructor(options: SuiAvailabilityOptions) {
    this.#o = options;
  }

  blobType(options: CallOptions = {}): Promise<string> {
    this.#blobType ??= walrusPackage(this.#o.client, this.#o.systemObjectId, options).then((pkg) => `${pkg}::blob::Blob`);
    this.#blobType.catch(() => (this.#blobType = undefined));
    return this.#blobType;
  }

  currentEpoch(options: CallOptions = {}): Promise<WalrusEpoch> {
    const now = Date.now();
    if (this.#epoch && now - this.#epoch.at < (this.#o.epochCacheMs ?? 2000)) return this.#epoch.value;
    const value = this.#readEpoch(options);
    this.#epoch = { at: now, value };
    value.catch(() => (this.#epoch = undefined));
    return value;
  }

  async blobObject(objectId: Uint8Array, options: CallOptions = {}): Promise<BlobObject | undefined> {
    const object = await suiObject(this.#o.client, bytesToHex(objectId), { content: true }, options);
    if (!object) return undefined;
    const type = object.type;
    if (!/::blob::Blob$/.test(type)) {
      // Not a Blob at all: report it with its type so the verifier can say so.
      return { objectId, type, blobId: new Uint8Array(32), size: 0, registeredEpoch: 0, certifiedEpoch: null, startEpoch: 0, endEpoch: 0, storageSize: 0, deletable: true };
    }
    const blob = parseBcs(() => BlobBcs.parse(object.content), `Blob object ${bytesToHex(objectId)}`);
    return {
      objectId,
      type,
      blobId: bigIntToLeBytes(BigInt(blob.blob_id), 32),
      size: Number(blob.size),
      registeredEpoch: blob.registered_epoch,
      certifiedEpoch: blob.certified_epoch ?? null,
      startEpoch: blob.storage.start_epoch,
      endEpoch: blob.storage.end_epoch,
      storageSize: Number(blob.storage.storage_size),
      deletable: blob.deletable,
    };
  }

  async certifiedObjectId(blobId: Uint8Array, event: { readonly txDigest: string; readonly eventSeq: string }, options: CallOptions = {}): Promise<Uint8Array | undefined> {
    const result = await sui('transaction read', () =>
      this.#o.client.core.getTransaction({ digest: event.txDigest, include: { events: true }, ...(options.signal ? { signal: options.signal } : {}) }),
    );
    const tx = result.$kind === 'Transaction' ? result.Transaction : result.FailedTransaction;
    const wanted = leBytesToBigInt(blobId);
    for (const candidate of tx.events ?? []) {
      if (!candidate.eventType.endsWith('::events::BlobCertified')) continue;
      const certified = parseBcs(() => BlobCertifiedBcs.parse(candidate.bcs), `BlobCertified event in ${event.txDigest}`);
      if (BigInt(certified.blob_id) === wanted) return hexToBytes(normalizeSuiAddress(certified.object_id));
    }
    return undefined;
  }

  /** Probe for /health: reading the epoch exercises the whole read path. */
  probe(): HealthProbe {
    return {
      name: 'sui',
      check: async () => {
        const started = performance.now();
        try {
          const epoch = await this.#readEpoch({});
          return { name: 'sui', ok: true, detail: `Walrus epoch ${epoch.epoch}, ${epoch.nShards} shards`, latencyMs: performance.now() - started };
        } catch (error) {
          return { name: 'sui', ok: false, detail: error instanceof Error ? error.message : String(error), latencyMs: performance.now() - started };
        }
      },
    };
  }

  async #readEpoch(options: CallOptions): Promise<WalrusEpoch> {
    const innerBcs = await innerStateBcs(this.#o.client, this.#o.stakingObjectId, 'Walrus staking', options);
    const inner = parseBcs(() => StakingInnerPrefixBcs.parse(innerBcs), 'Walrus staking inner state');
    return {
      epoch: inner.epoch,
      nShards: inner.n_shards,
      epochDurationMs: Number(inner.epoch_duration),
      firstEpochStartMs: Number(inner.first_epoch_start),
    };
  }
}
