// The verifier of docs/architecture.md "Verifying a commitment": four independent steps, each
// reported with pass/fail and a reason an operator can act on. Used by the read path
// (verify-on-read), the `walrus-da verify` command, gRPC Verify and go-da Validate.
//
//   1 decode        the commitment is body v0 with a valid QuiltPatchId
//   2 data          an aggregator (or the whole quilt) yields bytes whose keccak256 is the commitment's;
//                   else the storage nodes (when configured) give the verdict (docs/verdicts.md)
//   3 availability  Sui: the object is <walrus>::blob::Blob for this quilt, certified, permanent,
//                   not expired (plus a minimum remaining window)
//   4 full          trust no aggregator: fetch the whole quilt, recompute its blob id with Walrus's
//                   encoder, parse its index, and find the frame at the committed columns
import { bodyQuiltPatchId, decodeFramed, frameKey, keccak256, quiltPatchIdToText, type CommitmentBody, type Framing } from '../commitment/index.ts';
import { bytesToBareHex, bytesToHex, equalBytes } from '../bytes/index.ts';
import {
  DaError,
  assessBlobObject,
  judgeNodeRead,
  type AvailabilityChecker,
  type BlobStore,
  type CallOptions,
  type CertificateSource,
  type CommitmentVerifier,
  type NodePatchSource,
  type VerificationReport,
  type VerificationStep,
  type VerifyOptions,
} from '../core/index.ts';
import type { EncoderPool} from '../walrus/codec/index.ts';
import { certificateStep } from './certificate-step.ts';
import { WalrusCodecError, blobIdToText, parseQuiltIndex, quiltColumns, decodeQuiltPatch } from '../walrus/codec/index.ts';

export interface WalrusCommitmentVerifierOptions {
  readonly blobStore: BlobStore;
  readonly availability: AvailabilityChecker;
  readonly encoder: EncoderPool;
  /** Epochs that must remain before the quilt's end epoch. @default 1 */
  readonly minRemainingEpochs?: number;
  /** When given, `verify` also runs the `certificate` step (./certificate-step.ts). */
  readonly certificates?: CertificateSource;
  /** The storage nodes, read when no aggregator serves the committed bytes. */
  readonly nodes?: NodePatchSource;
}

export class WalrusCommitmentVerifier implements CommitmentVerifier {
  readonly #o: WalrusCommitmentVerifierOptions;

  constructor(options: WalrusCommitmentVerifierOptions) {
    this.#o = options;
  }

  async verify(body: CommitmentBody, options: CallOptions & VerifyOptions): Promise<VerificationReport> {
    const steps: VerificationStep[] = [decoded(body)];
    const [data, availability, full, certificate] = await Promise.all([
      this.#data(body, options),
      this.availability(body, options),
      options.full ? this.#full(body, options) : undefined,
      this.#o.certificates && options.certificate !== false ? certificateStep(body, this.#o.certificates, options) : undefined,
    ]);
    steps.push(data, availability);
    if (certificate) steps.push(certificate);
    if (full) steps.push(full);
    return { ok: steps.every((s) => s.ok), full: options.full, steps };
  }

  /** Decodes framed commitment bytes first; a decode failure is a failed report, not an exception. */
  async verifyFramed(bytes: Uint8Array, framing: Framing, options: CallOptions & { readonly full: boolean; readonly daByte: number }): Promise<VerificationReport> {
    let body: CommitmentBody;
    try {
      body = decodeFramed(bytes, framing, { daByte: options.daByte });
    } catch (error) {
      return { ok: false, full: options.full, steps: [{ step: 'decode', ok: false, reason: error instanceof Error ? error.message : String(error) }] };
    }
    return this.verify(body, options);
  }

  async availability(body: CommitmentBody, options: CallOptions = {}): Promise<VerificationStep> {
    try {
      const [object, epoch, type] = await Promise.all([
        this.#o.availability.blobObject(body.objectId, options),
        this.#o.availability.currentEpoch(options),
        this.#o.availability.blobType(options),
      ]);
      return assessBlobObject(object, body, type, epoch, { minRemainingEpochs: this.#o.minRemainingEpochs ?? 1 });
    } catch (error) {
      return { step: 'availability', ok: false, reason: `cannot read Sui: ${message(error)}`, facts: { error: errorCode(error) } };
    }
  }

  async #data(body: CommitmentBody, options: CallOptions): Promise<VerificationStep> {
    const patchId = quiltPatchIdToText(bodyQuiltPatchId(body));
    try {
      const patch = await this.#o.blobStore.readQuiltPatch(bodyQuiltPatchId(body), {
        ...options,
        accept: (data) => equalBytes(keccak256(data), body.frameKeccak),
      });
      return {
        step: 'data',
        ok: true,
        reason: `${patch.data.length} bytes from ${patch.source} hash to the committed keccak`,
        facts: { quiltPatchId: patchId, length: patch.data.length, source: patch.source, identifier: patch.identifier },
      };
    } catch (error) {
      // Aggregators are not authenticated: their failure alone proves nothing (docs/verdicts.md).
      const aggregators: VerificationStep = { step: 'data', ok: false, reason: message(error), facts: { quiltPatchId: patchId, error: errorCode(error), verdict: 'unavailable' } };
      return this.#o.nodes ? this.#nodesData(body, this.#o.nodes, aggregators, options) : aggregators;
    }
  }

  /**
   * The nodes' authenticated answer after the aggregators failed: the bytes, or a verdict. Facts:
   * `verdict` is `proven-invalid` (with `ground`, as ProvenInvalidError's) or `unavailable`;
   * `error` keeps the DaError code of what failed (`PROVEN_INVALID` for a proof).
   */
  async #nodesData(body: CommitmentBody, nodes: NodePatchSource, aggregators: VerificationStep, options: CallOptions): Promise<VerificationStep> {
    const patchId = quiltPatchIdToText(bodyQuiltPatchId(body));
    try {
      const verdict = judgeNodeRead(await nodes.readPatch(bodyQuiltPatchId(body), options), body);
      if (verdict.kind === 'invalid') {
        return {
          step: 'data',
          ok: false,
          reason: `the storage nodes prove that ${verdict.reason}`,
          facts: { quiltPatchId: patchId, error: 'PROVEN_INVALID', verdict: 'proven-invalid', ground: verdict.ground },
        };
      }
      return {
        step: 'data',
        ok: true,
        reason: `${verdict.data.length} bytes from ${verdict.source} hash to the committed keccak (aggregators: ${aggregators.reason})`,
        facts: { quiltPatchId: patchId, length: verdict.data.length, source: verdict.source, identifier: verdict.identifier },
      };
    } catch (error) {
      return {
        step: 'data',
        ok: false,
        reason: `${aggregators.reason}; storage nodes: ${message(error)}`,
        facts: { quiltPatchId: patchId, error: errorCode(error), verdict: 'unavailable' },
      };
    }
  }

  async #full(body: CommitmentBody, options: CallOptions): Promise<VerificationStep> {
    const quiltId = blobIdToText(body.quiltId);
    const fail = (reason: string, error?: string): VerificationStep => ({ step: 'full', ok: false, reason, facts: { quiltId, ...(error ? { error } : {}) } });
    try {
      const [quilt, epoch] = await Promise.all([this.#o.blobStore.readBlob(body.quiltId, options), this.#o.availability.currentEpoch(options)]);
      const recomputed = await this.#o.encoder.blobMetadata(quilt, epoch.nShards, options);
      if (!equalBytes(recomputed.blobId, body.quiltId)) {
        return fail(`the ${quilt.length}-byte blob served as ${quiltId} encodes to ${blobIdToText(recomputed.blobId)} with ${epoch.nShards} shards`);
      }
      const index = parseQuiltIndex(quilt, epoch.nShards);
      const identifier = bytesToBareHex(body.frameKeccak);
      const entry = index.entries.find((e) => e.identifier === identifier);
      if (!entry) return fail(`quilt ${quiltId} has no patch named ${identifier}`);
      if (entry.startColumn !== body.startColumn || entry.endColumn !== body.endColumn) {
        return fail(`patch ${identifier} sits at columns [${entry.startColumn}, ${entry.endColumn}), the commitment says [${body.startColumn}, ${body.endColumn})`);
      }
      const patch = decodeQuiltPatch(quiltColumns(quilt, index.geometry, entry.startColumn, entry.endColumn));
      if (frameKey(patch.data) !== identifier) return fail(`the data of patch ${identifier} hashes to 0x${frameKey(patch.data)}`);
      return {
        step: 'full',
        ok: true,
        reason: `recomputed blob id ${quiltId} from ${quilt.length} bytes; the index places ${identifier} at columns [${entry.startColumn}, ${entry.endColumn}) and its data matches`,
        facts: { quiltId, quiltLength: quilt.length, patches: index.entries.length, nShards: epoch.nShards },
      };
    } catch (error) {
      // A quilt that does not parse is a verdict on the quilt; a failed read or encoder is not.
      return fail(message(error), error instanceof WalrusCodecError ? undefined : errorCode(error));
    }
  }
}

function decoded(body: CommitmentBody): VerificationStep {
  return {
    step: 'decode',
    ok: true,
    reason: `body v0: quilt ${blobIdToText(body.quiltId)}, columns [${body.startColumn}, ${body.endColumn}), object ${bytesToHex(body.objectId)}`,
    facts: {
      quiltId: blobIdToText(body.quiltId),
      quiltPatchId: quiltPatchIdToText(bodyQuiltPatchId(body)),
      objectId: bytesToHex(body.objectId),
      keccak: bytesToHex(body.frameKeccak),
    },
  };
}

/**
 * The DaError code of a failed read, recorded in the step's facts so a caller can tell "the data
 * is wrong" (INTEGRITY) from "the data could not be read" (UNAVAILABLE, NOT_FOUND, …).
 */
function errorCode(error: unknown): string {
  return error instanceof DaError ? error.code : 'INTERNAL';
}

function message(error: unknown): string {
  return error instanceof DaError ? error.details : error instanceof Error ? error.message : String(error);
}
