// Little-endian unsigned integers: Move's BCS u64/u128/u256, and Walrus blob ids on Sui (a blob id
// is the u256 whose little-endian bytes are the 32 id bytes).
import { BytesError } from './errors.ts';

/** Reads bytes as a little-endian unsigned integer. */
export function leBytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

/** Writes an unsigned integer as `length` little-endian bytes (the inverse of leBytesToBigInt). */
export function bigIntToLeBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * length)) throw new BytesError('range', `${value} does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  for (let i = 0, rest = value; i < length; i++, rest >>= 8n) out[i] = Number(rest & 0xffn);
  return out;
}
