// The error of the byte helpers. It says only "these bytes or this text are not what the caller
// said they would be": a caller that parses *client* input turns it into its own, precise error
// (a malformed commitment, a bad parameter), and one that parses its own stored state lets it
// reach `toDaError`, where it is a bug (Internal) and never a client's 400.

/** What went wrong: text that is not whole bytes of hex, or a number that does not fit. */
export type BytesErrorReason = 'hex' | 'range';

export class BytesError extends Error {
  override readonly name = 'BytesError';
  readonly reason: BytesErrorReason;

  constructor(reason: BytesErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
