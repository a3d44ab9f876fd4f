// Errors raised while decoding untrusted commitment bytes. The codec is a leaf module (it may not
// import core), so core wraps these in its DaError hierarchy (`InvalidCommitmentError`) with the
// original as `cause`.

/** What exactly is wrong with a commitment; stable, safe to match on. */
export type CommitmentErrorReason =
  | 'hex'
  | 'encoding'
  | 'length'
  | 'commitment-type'
  | 'da-byte'
  | 'version'
  | 'patch-id-version'
  | 'column-range';

/** Thrown when bytes (or hex text) are not a well-formed walrus-da commitment. */
export class CommitmentError extends Error {
  override readonly name = 'CommitmentError';
  readonly reason: CommitmentErrorReason;

  constructor(reason: CommitmentErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function byteText(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
