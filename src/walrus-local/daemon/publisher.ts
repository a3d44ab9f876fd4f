// The publisher's write path, step for step what the SDK does (ts-sdks packages/walrus/src/client.ts
// `writeBlob`; docs/wire/walrus.md "Write protocol"):
//   encode (worker pool) → already certified long enough? answer `alreadyCertified`
//   → register a Blob object on the ledger → per node: metadata, then both slivers of every pair
//     whose shard it holds → permanent/deletable confirmation from each node → aggregate the
//     signatures (bitmap LSB-first over committee indices) → `certify_blob` on the ledger.
// Nodes are written to in parallel; as soon as the confirming nodes hold a quorum of shards the
// certificate goes on chain, while uploads to slower nodes finish in the background.
import { blobIdToText, encodeBlobMetadata, maxBlobSize, pairForShard, type EncodedBlob, type EncoderPool, type SliverAxis } from '../../walrus/codec/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { aggregateSignatures, verify } from '../bls.ts';
import { isQuorum, type Committee } from '../committee.ts';
import { ApiError } from '../http/api-status.ts';
import { LedgerAbort, type Certificate } from '../ledger/certificate.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { BlobObject } from '../ledger/types.ts';
import { decodeConfirmation, type BlobPersistence } from '../messages.ts';
import { retry, type BackgroundTasks } from './background.ts';
import { withTimeout, type NodeClient, type SignedConfirmation } from '../../walrus/nodes/node-client.ts';

export interface StoreRequest {
  readonly data: Uint8Array;
  readonly epochs: number;
  readonly deletable: boolean;
  /** Store even when the blob is already certified for long enough (`force=true`). */
  readonly force: boolean;
  readonly owner: string;
}

export type StoreResult =
  | { readonly alreadyCertified: { readonly blobId: string; readonly event: { readonly txDigest: string; readonly eventSeq: string }; readonly endEpoch: number } }
  | {
      readonly newlyCreated: {
        readonly blobObject: ReturnType<typeof blobObjectJson>;
        readonly resourceOperation: { readonly registerFromScratch: { readonly encodedLength: number; readonly epochsAhead: number } };
        readonly cost: number;
      };
    };

export interface PublisherDeps {
  readonly ledger: Ledger;
  readonly committee: Committee;
  readonly nodes: readonly NodeClient[];
  readonly encoder: EncoderPool;
  readonly background: BackgroundTasks;
  readonly logger: Logger;
  readonly confirmationTimeoutMs: number;
  /** Bound of one request to a storage node. */
  readonly requestTimeoutMs: number;
  /**
   * Told of every blob certified through this publisher, with the bytes its blob id was computed
   * from: the daemon's aggregator keeps them as verified (the id was derived from these bytes).
   */
  readonly onCertified?: (blobId: Uint8Array, data: Uint8Array) => void;
}

interface Confirmed {
  readonly index: number;
  readonly confirmation: SignedConfirmation;
}

export class Publisher {
  readonly #deps: PublisherDeps;

  constructor(deps: PublisherDeps) {
    this.#deps = deps;
  }

  async store(request: StoreRequest): Promise<StoreResult> {
    const { ledger, committee, encoder } = this.#deps;
    if (request.data.length > maxBlobSize(committee.nShards)) {
      throw new ApiError('PAYLOAD_TOO_LARGE', 'BLOB_TOO_LARGE', `the blob of ${request.data.length} bytes exceeds the maximum of ${maxBlobSize(committee.nShards)} bytes Walrus can encode with ${committee.nShards} shards`);
    }
    const started = performance.now();
    const encoded = await encoder.encode(request.data, committee.nShards);
    const blobIdText = blobIdToText(encoded.blobId);
    const encodedAt = performance.now();
    if (!request.force) {
      const status = ledger.blobStatus(blobIdText);
      if (typeof status === 'object' && 'permanent' in status && status.permanent.isCertified && status.permanent.endEpoch >= ledger.currentEpoch() + request.epochs) {
        return { alreadyCertified: { blobId: blobIdText, event: status.permanent.statusEvent, endEpoch: status.permanent.endEpoch } };
      }
    }
    const registered = await ledger.registerBlob({
      blobId: encoded.blobId,
      rootHash: encoded.rootHash,
      size: request.data.length,
      epochsAhead: request.epochs,
      deletable: request.deletable,
      owner: request.owner,
    });
    const persistence: BlobPersistence = request.deletable ? { type: 'deletable', objectId: registered.objectId } : { type: 'permanent' };
    const registeredAt = performance.now();
    let certified: BlobObject;
    try {
      certified = await this.#uploadAndCertify(encoded, registered, persistence);
    } catch (error) {
      // A transaction the chain refused (e.g. the storage ended while an epoch change raced the
      // upload): a server-side failure the client may retry, reported with the Move abort.
      if (error instanceof LedgerAbort) {
        throw new ApiError('INTERNAL', 'CERTIFICATION_FAILED', `certify_blob failed: ${error.message}`, { metadata: { blobId: blobIdText, abort: error.abort }, cause: error });
      }
      throw error;
    }
    this.#deps.onCertified?.(encoded.blobId, request.data);
    this.#deps.logger.debug(
      { blobId: blobIdText, size: request.data.length, encodeMs: ms(encodedAt - started), registerMs: ms(registeredAt - encodedAt), uploadAndCertifyMs: ms(performance.now() - registeredAt) },
      'blob stored',
    );
    return {
      newlyCreated: {
        blobObject: blobObjectJson(certified),
        resourceOperation: { registerFromScratch: { encodedLength: certified.storage.storageSize, epochsAhead: request.epochs } },
        cost: ledger.storageCost(request.data.length, request.epochs),
      },
    };
  }

  async #uploadAndCertify(encoded: EncodedBlob, blob: BlobObject, persistence: BlobPersistence): Promise<BlobObject> {
    const { logger, background } = this.#deps;
    const cancel = new AbortController();
    // One signal bounds every request of this store: cancelled on failure or shutdown, and a slow
    // node gets the confirmation timeout plus one request timeout to finish in the background.
    const uploads = withTimeout(AbortSignal.any([cancel.signal, background.signal]), this.#deps.confirmationTimeoutMs + this.#deps.requestTimeoutMs);
    const deadline = AbortSignal.any([AbortSignal.timeout(this.#deps.confirmationTimeoutMs), background.signal]);
    const metadata = encodeBlobMetadata(encoded.metadata);
    // Each node task stores everything on its node, then asks for a confirmation.
    let confirmations = this.#deps.nodes.map((node) =>
      background.track(
        this.#storeOnNode(node, encoded, metadata, uploads)
          .then(() => retry(() => node.getConfirmation(encoded.blobId, persistence, uploads), uploads))
          .then((confirmation): Confirmed => ({ index: node.index, confirmation })),
      ),
    );
    for (let attempt = 0; ; attempt++) {
      const quorum = await this.#collectQuorum(confirmations, encoded.blobId, deadline);
      if (!quorum) {
        cancel.abort();
        throw new ApiError('DEADLINE_EXCEEDED', 'INSUFFICIENT_CONFIRMATIONS', 'the service timed-out while waiting for confirmations, please try again', {
          metadata: { blobId: blob.blobId },
        });
      }
      try {
        return await this.#certify(blob, quorum);
      } catch (error) {
        // Confirmations signed just before an epoch change are stale: ask again once, like the SDK.
        if (attempt === 0 && error instanceof LedgerAbort && error.abort === 'messages::EIncorrectEpoch') {
          logger.info({ blobId: blob.blobId }, 'epoch changed during the store; collecting fresh confirmations');
          confirmations = this.#deps.nodes.map((node) =>
            background.track(retry(() => node.getConfirmation(encoded.blobId, persistence, uploads), uploads).then((c): Confirmed => ({ index: node.index, confirmation: c }))),
          );
          continue;
        }
        throw error;
      }
    }
  }

  async #storeOnNode(node: NodeClient, encoded: EncodedBlob, metadata: Uint8Array, signal: AbortSignal): Promise<void> {
    const { committee } = this.#deps;
    const member = committee.members[node.index];
    if (!member) throw new Error(`no committee member ${node.index}`);
    await retry(() => node.putMetadata(encoded.blobId, metadata, signal), signal);
    const puts: Promise<void>[] = [];
    for (let shard = member.shards.start; shard < member.shards.end; shard++) {
      const pair = pairForShard(shard, encoded.blobId, committee.nShards);
      for (const axis of ['primary', 'secondary'] as const satisfies SliverAxis[]) {
        const sliver = (axis === 'primary' ? encoded.primarySlivers : encoded.secondarySlivers)[pair];
        if (sliver) puts.push(retry(() => node.putSliver(encoded.blobId, pair, axis, sliver, signal), signal));
      }
    }
    await Promise.all(puts);
  }

  /**
   * Waits until confirmations for one epoch hold a quorum of shards, every node has answered, or
   * the deadline passes. Returns the confirmations of the quorum epoch, or undefined.
   */
  async #collectQuorum(tasks: readonly Promise<Confirmed>[], blobId: Uint8Array, deadline: AbortSignal): Promise<Confirmed[] | undefined> {
    const { committee, logger } = this.#deps;
    const byEpoch = new Map<number, Confirmed[]>();
    let found: Confirmed[] | undefined;
    await new Promise<void>((resolve) => {
      let pending = tasks.length;
      const done = () => {
        deadline.removeEventListener('abort', done);
        resolve();
      };
      deadline.addEventListener('abort', done, { once: true });
      if (deadline.aborted || pending === 0) done();
      for (const task of tasks) {
        task
          .then((confirmed) => {
            const message = decodeConfirmation(confirmed.confirmation.serializedMessage);
            if (blobIdToText(message.blobId) !== blobIdToText(blobId)) throw new Error(`node ${confirmed.index} confirmed another blob`);
            const group = byEpoch.get(message.epoch) ?? [];
            group.push(confirmed);
            byEpoch.set(message.epoch, group);
            if (!found && isQuorum(committee.weightOfAll(group.map((c) => c.index)), committee.nShards)) {
              found = [...group];
              done();
            }
          })
          .catch((error: unknown) => {
            if (!deadline.aborted) logger.debug({ err: error }, 'storage node did not confirm');
          })
          .finally(() => {
            if (--pending === 0) done();
          });
      }
    });
    return found;
  }

  /**
   * Aggregates the quorum's signatures and submits the certificate; the ledger verifies it, as the
   * chain would. Only if the aggregate fails are the signatures checked one by one (like the SDK
   * filtering invalid confirmations) and the certificate rebuilt from the valid ones.
   */
  async #certify(blob: BlobObject, quorum: readonly Confirmed[]): Promise<BlobObject> {
    const { committee, ledger } = this.#deps;
    const message = quorum[0]?.confirmation.serializedMessage ?? new Uint8Array();
    const signers = [...quorum].filter((c) => Buffer.from(c.confirmation.serializedMessage).equals(message)).sort((a, b) => a.index - b.index);
    const build = (list: readonly Confirmed[]): Certificate => ({
      signature: aggregateSignatures(list.map((c) => c.confirmation.signature)),
      signersBitmap: committee.signersToBitmap(list.map((c) => c.index)),
      message,
    });
    try {
      return await ledger.certifyBlob(blob.objectId, build(signers));
    } catch (error) {
      if (!(error instanceof LedgerAbort) || error.abort !== 'bls_aggregate::ESigVerification') throw error;
    }
    const valid = signers.filter((c) => verify(c.confirmation.signature, committee.members[c.index]?.publicKey ?? new Uint8Array(), message));
    if (!isQuorum(committee.weightOfAll(valid.map((c) => c.index)), committee.nShards)) {
      throw new ApiError('DEADLINE_EXCEEDED', 'INSUFFICIENT_CONFIRMATIONS', 'too few storage nodes sent valid confirmations, please try again');
    }
    return ledger.certifyBlob(blob.objectId, build(valid));
  }
}

function ms(value: number): number {
  return Math.round(value);
}

/** `move_structs::Blob` as the daemon serializes it (camelCase, blob id as text, ids as 0x hex). */
export function blobObjectJson(blob: BlobObject) {
  return {
    id: blob.objectId,
    registeredEpoch: blob.registeredEpoch,
    blobId: blob.blobId,
    size: blob.size,
    encodingType: 'RS2' as const,
    certifiedEpoch: blob.certifiedEpoch,
    storage: { id: blob.storage.id, startEpoch: blob.storage.startEpoch, endEpoch: blob.storage.endEpoch, storageSize: blob.storage.storageSize },
    deletable: blob.deletable,
  };
}

