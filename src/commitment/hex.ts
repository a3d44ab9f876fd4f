// Strict hex helpers for commitments on the wire (URL paths, JSON-RPC, CLI arguments).
// `Buffer.from(text, 'hex')` silently stops at the first bad character, which would turn a typo
// into a different commitment; these reject anything that is not whole bytes of hex.
import { CommitmentError } from './errors.ts';

const HEX_BODY = /^[0-9a-fA-F]*$/;

export interface HexParseOptions {
  /** `required`: text must start with 0x; `optional`: 0x may be omitted. @default 'optional' */
  readonly prefix?: 'required' | 'optional';
}

/** Decodes hex text (either case, optional `0x`) into bytes, or throws `CommitmentError('hex')`. */
export function hexToBytes(text: string, options: HexParseOptions = {}): Uint8Array {
  const hasPrefix = text.startsWith('0x') || text.startsWith('0X');
  if (options.prefix === 'required' && !hasPrefix) {
    throw new CommitmentError('hex', 'invalid hex: missing 0x prefix');
  }
  const body = hasPrefix ? text.slice(2) : text;
  if (!HEX_BODY.test(body)) {
    const bad = [...body].findIndex((c) => !HEX_BODY.test(c));
    throw new CommitmentError('hex', `invalid hex: non-hex character at position ${bad + (hasPrefix ? 2 : 0)}`);
  }
  if (body.length % 2 !== 0) {
    throw new CommitmentError('hex', `invalid hex: odd number of digits (${body.length})`);
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

/** Reads bytes as a little-endian unsigned integer (Move BCS u64/u128/u256; Walrus blob ids on Sui). */
export function leBytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

/** Writes an unsigned integer as `length` little-endian bytes (the inverse of leBytesToBigInt). */
export function bigIntToLeBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * length)) throw new RangeError(`${value} does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  for (let i = 0, rest = value; i < length; i++, rest >>= 8n) out[i] = Number(rest & 0xffn);
  return out;
}

/** Byte-for-byte equality (not constant-time: nothing secret is compared with it). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
