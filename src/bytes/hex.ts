// Strict hex. `Buffer.from(text, 'hex')` silently stops at the first bad character, which would turn
// a typo into different bytes; these reject anything that is not whole bytes of hex.
import { BytesError } from './errors.ts';

const HEX_BODY = /^[0-9a-fA-F]*$/;

export interface HexParseOptions {
  /** `required`: text must start with 0x; `optional`: 0x may be omitted. @default 'optional' */
  readonly prefix?: 'required' | 'optional';
}

/** Decodes hex text (either case, optional `0x`) into bytes, or throws `BytesError('hex')`. */
export function hexToBytes(text: string, options: HexParseOptions = {}): Uint8Array {
  const hasPrefix = text.startsWith('0x') || text.startsWith('0X');
  if (options.prefix === 'required' && !hasPrefix) {
    throw new BytesError('hex', 'invalid hex: missing 0x prefix');
  }
  const body = hasPrefix ? text.slice(2) : text;
  if (!HEX_BODY.test(body)) {
    const bad = [...body].findIndex((c) => !HEX_BODY.test(c));
    throw new BytesError('hex', `invalid hex: non-hex character at position ${bad + (hasPrefix ? 2 : 0)}`);
  }
  if (body.length % 2 !== 0) {
    throw new BytesError('hex', `invalid hex: odd number of digits (${body.length})`);
  }
  return Uint8Array.from(Buffer.from(body, 'hex'));
}

/** Lowercase hex with a `0x` prefix. */
export function bytesToHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

/** Lowercase hex without a prefix (quilt patch identifiers, storage keys). */
export function bytesToBareHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
