// Recovery symbols, the storage nodes' authenticated single symbols, and the column check built on
// them (walrus @ 3c1cacc11c crates/walrus-core/src/encoding/symbols.rs `GeneralRecoverySymbol`,
// `DecodingSymbol`; merkle.rs `MerkleProof`, `Node`; lib.rs `SymbolId`; by_axis.rs `ByAxis`):
//
//   answer of GET /v1/blobs/{id}/recoverySymbols    uleb128 count ‖ count × GeneralRecoverySymbol
//   GeneralRecoverySymbol  symbol        enum tag uleb128: 0 Primary | 1 Secondary (ByAxis order)
//                                        DecodingSymbol: index u16 LE ‖ uleb128 len ‖ data
//                          target_index  u16 LE
//                          proof         MerkleProof: uleb128 count ‖ count × Node
//                                        Node: 0x00 Empty | 0x01 ‖ 32-byte digest
//
// A `Primary` decoding symbol (it helps recover primary sliver `target_index`) is taken from the
// secondary sliver with index `index`, i.e. matrix column `index`, at row `target_index`; its proof
// is against that column's secondary hash, the Merkle root over the column's n expanded symbols.
// Symbol id = `<primary sliver index>-<secondary sliver index>` = `<row>-<column>`.
//
// Why one symbol authenticates a whole column (`verifyColumn`): a secondary sliver carries the
// column's p source symbols, leaves 0…p−1 of that tree (RS2 is systematic); the proof of leaf p
// holds exactly the roots of the subtrees right of leaf p, and every subtree left of it is
// recomputed from the sliver (merkle.ts `merkleRootFromPrefix`). Cost: ~2p hashes per column,
// instead of one ~1.45 s crafted encode at n = 1000 (sliver-verify.ts).
import { equalBytes } from '../../bytes/index.ts';
import { ByteReader } from './byte-reader.ts';
import { encodingConfig } from './encoding-config.ts';
import { WalrusCodecError } from './errors.ts';
import { DIGEST_LENGTH, merkleDepth, merkleRootFromPrefix } from './merkle.ts';
import { encodeUleb128 } from './uleb128.ts';

export interface RecoverySymbol {
  /** The decoding symbol's axis: `primary` = taken from a secondary sliver (a column). */
  readonly axis: 'primary' | 'secondary';
  /** Source sliver index (the column for a `primary` symbol). */
  readonly index: number;
  readonly data: Uint8Array;
  /** The sliver it helps recover, and the symbol's leaf index in the source sliver's tree. */
  readonly targetIndex: number;
  /** Sibling path, bottom-up; Empty nodes as 32 zero bytes. */
  readonly path: readonly Uint8Array[];
}

const EMPTY = new Uint8Array(DIGEST_LENGTH);
const MAX_PATH = 16; // n ≤ 65535 leaves

/** Decodes a recoverySymbols answer. Untrusted bytes: returns or throws WalrusCodecError. */
export function decodeRecoverySymbols(bytes: Uint8Array): RecoverySymbol[] {
  const reader = new ByteReader(bytes, 'recovery symbols', 'symbol-malformed');
  const count = reader.uleb128('symbol count');
  if (count > reader.remaining / 5) reader.fail(`${count} symbols cannot fit in ${reader.remaining} bytes`);
  const symbols: RecoverySymbol[] = [];
  for (let i = 0; i < count; i++) {
    const tag = reader.uleb128(`symbol ${i} axis`);
    if (tag > 1) reader.fail(`symbol ${i}: unknown axis tag ${tag}`);
    const index = reader.u16(`symbol ${i} index`);
    const data = reader.bytes(reader.uleb128(`symbol ${i} length`), `symbol ${i} data`).slice();
    const targetIndex = reader.u16(`symbol ${i} target index`);
    const pathLength = reader.uleb128(`symbol ${i} proof length`);
    if (pathLength > MAX_PATH) reader.fail(`symbol ${i}: proof of ${pathLength} nodes is longer than any Walrus tree`);
    const path: Uint8Array[] = [];
    for (let j = 0; j < pathLength; j++) {
      const node = reader.uleb128(`symbol ${i} proof node ${j}`);
      if (node === 0) path.push(EMPTY);
      else if (node === 1) path.push(reader.bytes(DIGEST_LENGTH, `symbol ${i} proof node ${j}`).slice());
      else reader.fail(`symbol ${i} proof node ${j}: unknown Merkle node tag ${node}`);
    }
    symbols.push({ axis: tag === 0 ? 'primary' : 'secondary', index, data, targetIndex, path });
  }
  if (reader.remaining !== 0) reader.fail(`${reader.remaining} trailing bytes`);
  return symbols;
}

/** Encodes recovery symbols as a node answers them (walrus-local's storage nodes). */
export function encodeRecoverySymbols(symbols: readonly RecoverySymbol[]): Uint8Array {
  const parts: number[] = [...encodeUleb128(symbols.length)];
  for (const symbol of symbols) {
    parts.push(...encodeUleb128(symbol.axis === 'primary' ? 0 : 1), ...u16(symbol.index), ...encodeUleb128(symbol.data.length));
    for (const byte of symbol.data) parts.push(byte);
    parts.push(...u16(symbol.targetIndex), ...encodeUleb128(symbol.path.length));
    // Padding nodes go out as Empty, as walrus-core's tree holds them (no digest is all zeros).
    for (const node of symbol.path) {
      if (equalBytes(node, EMPTY)) parts.push(0x00);
      else parts.push(0x01, ...node);
    }
  }
  return Uint8Array.from(parts);
}

/**
 * Whether `columnData` (a secondary sliver's p·symbol_size bytes) is matrix column `column` of the
 * blob whose column hash is `secondaryHash`, given the recovery symbol of row p of that column.
 * Throws WalrusCodecError only for misuse; a bad symbol or proof is `false`.
 */
export function verifyColumn(args: {
  readonly columnData: Uint8Array;
  readonly column: number;
  readonly symbolSize: number;
  readonly nShards: number;
  readonly secondaryHash: Uint8Array;
  readonly symbol: RecoverySymbol;
}): boolean {
  const { columnData, column, symbolSize, nShards, secondaryHash, symbol } = args;
  const { primarySymbols: p } = encodingConfig(nShards);
  if (columnData.length !== p * symbolSize) throw new WalrusCodecError('sliver-malformed', `column data must be ${p * symbolSize} bytes, got ${columnData.length}`);
  if (symbol.axis !== 'primary' || symbol.index !== column || symbol.targetIndex !== p) return false;
  if (symbol.data.length !== symbolSize || symbol.path.length !== merkleDepth(nShards)) return false;
  const prefix = Array.from({ length: p }, (_, k) => columnData.subarray(k * symbolSize, (k + 1) * symbolSize));
  return equalBytes(merkleRootFromPrefix(prefix, symbol.data, symbol.path, nShards), secondaryHash);
}

function u16(value: number): number[] {
  return [value & 0xff, (value >> 8) & 0xff];
}

