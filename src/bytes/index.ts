// Byte helpers shared by every layer: strict hex, little-endian integers, equality. A leaf: it
// imports nothing from the rest of src.
export { BytesError, type BytesErrorReason } from './errors.ts';
export { bytesToBareHex, bytesToHex, hexToBytes, type HexParseOptions } from './hex.ts';
export { equalBytes } from './compare.ts';
export { bigIntToLeBytes, leBytesToBigInt } from './integers.ts';
