// Commitments arrive as hex text (URL paths, CLI arguments). Text that is not hex is a malformed
// commitment, so the strict decoder's BytesError becomes CommitmentError('hex') here, at the one
// place that knows the text was meant to be a commitment.
import { BytesError, hexToBytes, type HexParseOptions } from '../bytes/index.ts';
import { CommitmentError } from './errors.ts';

/** Decodes the hex text of a commitment (either case, optional `0x`), or throws `CommitmentError('hex')`. */
export function commitmentBytesFromHex(text: string, options: HexParseOptions = {}): Uint8Array {
  try {
    return hexToBytes(text, options);
  } catch (error) {
    if (error instanceof BytesError) throw new CommitmentError('hex', error.message);
    throw error;
  }
}
