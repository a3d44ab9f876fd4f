// TEST DOUBLE of the NodePatchSource port (src/core/ports.ts), for end-to-end tests until the
// real storage-node adapter is wired in src/cli/compose.ts (key `nodes`). It reads the whole quilt
// from walrus-local's aggregator and decodes the committed columns as a patch with our own quilt
// parser. It authenticates nothing against the quilt id, so it must never be used outside tests:
// it stands in for the nodes' verified answer only because walrus-local's aggregator is honest.
import type { QuiltPatchId } from '../../src/commitment/index.ts';
import { UnavailableError, type CallOptions, type NodePatchRead, type NodePatchSource } from '../../src/core/index.ts';
import { WalrusCodecError, blobIdToText, decodeQuiltPatch, parseQuiltIndex, quiltColumns } from '../../src/walrus/codec/index.ts';

export class WholeQuiltNodePatchesTestDouble implements NodePatchSource {
  readonly #aggregatorUrl: string;
  readonly #nShards: number;
  /** Reads served, for tests that count them. */
  reads = 0;

  constructor(aggregatorUrl: string, nShards: number) {
    this.#aggregatorUrl = aggregatorUrl.replace(/\/$/, '');
    this.#nShards = nShards;
  }

  async readPatch(id: QuiltPatchId, options: CallOptions = {}): Promise<NodePatchRead> {
    this.reads++;
    const source = 'test double: whole quilt via walrus-local aggregator';
    const response = await fetch(`${this.#aggregatorUrl}/v1/blobs/${blobIdToText(id.quiltId)}`, options.signal ? { signal: options.signal } : {}).catch((error: unknown) => {
      throw new UnavailableError('test double: aggregator unreachable', { cause: error });
    });
    // A blob nobody stored: the real adapter finds no metadata, which proves nothing.
    if (!response.ok) throw new UnavailableError(`test double: aggregator answered ${response.status} for quilt ${blobIdToText(id.quiltId)}`);
    const quilt = new Uint8Array(await response.arrayBuffer());
    try {
      const index = parseQuiltIndex(quilt, this.#nShards);
      if (id.startColumn < index.indexColumns || id.endColumn > index.geometry.columns) {
        return { kind: 'no-patch', reason: `columns [${id.startColumn}, ${id.endColumn}) are outside the quilt's patch columns`, source };
      }
      const patch = decodeQuiltPatch(quiltColumns(quilt, index.geometry, id.startColumn, id.endColumn));
      return { kind: 'patch', identifier: patch.identifier, data: patch.data, source };
    } catch (error) {
      if (error instanceof WalrusCodecError) return { kind: 'no-patch', reason: error.message, source };
      throw error;
    }
  }
}
