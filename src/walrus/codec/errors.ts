// Errors of the pure Walrus codecs. Like the commitment codec, this folder is shared with
// walrus-local and so may not import core; adapters wrap these in DaErrors with `cause`.

export type WalrusCodecErrorReason =
  | 'shard-count'
  | 'blob-too-large'
  | 'blob-id'
  | 'quilt-patch-id'
  | 'quilt-empty'
  | 'quilt-too-many-patches'
  | 'quilt-oversize'
  | 'quilt-malformed'
  | 'quilt-patch-not-found'
  | 'sliver-malformed'
  | 'metadata-malformed'
  | 'metadata-invalid'
  | 'symbol-malformed';

/** Thrown when bytes or parameters do not fit Walrus's encoding rules. */
export class WalrusCodecError extends Error {
  override readonly name = 'WalrusCodecError';
  readonly reason: WalrusCodecErrorReason;

  constructor(reason: WalrusCodecErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
