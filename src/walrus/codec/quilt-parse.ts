// Reads a QuiltV1 blob (docs/wire/walrus.md "Quilt layout"; walrus-core encoding/quilt_encoding.rs).
// Written against the layout, not against @mysten/walrus, so it can check what that encoder
// produced.
//
// The quilt is the message matrix of an RS2 blob: p rows × s columns of `symbol_size` bytes,
// stored row-major. Data is laid out column by column (a column = one secondary sliver =
// p·symbol_size bytes, read top to bottom), so a patch occupies whole consecutive columns:
//
//   columns [0, k)      quilt index: 0x01 | u32 LE index length | BCS QuiltIndexV1
//                         QuiltIndexV1 = vector<{ end_index: u16, identifier: String,
//                                                 tags: VecMap<String, String> }>
//   columns [k, end_0)  patch 0 ... each patch, column-major:
//       BlobHeaderV1  0x01 | u32 LE length of the rest | mask (bit 0: has tags)
//       u16 LE identifier-BCS length | BCS String identifier
//       [u16 LE tags-BCS length | BCS tags]            if mask bit 0
//       data
//
// A patch's start column is the previous patch's end_index (the first starts right after the
// index), which is why the index stores end indices only.
import { encodingConfig } from './encoding-config.ts';
import { ByteReader } from './byte-reader.ts';
import { WalrusCodecError } from './errors.ts';
import type { QuiltPatchLocation } from './quilt-build.ts';

export const QUILT_VERSION_V1 = 0x01;
export const BLOB_HEADER_VERSION_V1 = 0x01;
const INDEX_PREFIX_LENGTH = 5;
const HAS_TAGS = 0x01;
/** `MAX_NUM_SLIVERS_FOR_QUILT_INDEX` in walrus-core. */
export const MAX_INDEX_COLUMNS = 10;

export interface QuiltGeometry {
  readonly nShards: number;
  /** p: rows, and symbols per column. */
  readonly rows: number;
  /** s: columns, and symbols per row. */
  readonly columns: number;
  readonly symbolSize: number;
  /** Bytes in one column (one secondary sliver's data): p·symbol_size. */
  readonly columnSize: number;
}

export interface QuiltIndexEntry extends QuiltPatchLocation {
  readonly tags: Readonly<Record<string, string>>;
}

export interface QuiltIndex {
  readonly geometry: QuiltGeometry;
  /** Columns taken by the index itself; the first patch starts here. */
  readonly indexColumns: number;
  readonly entries: readonly QuiltIndexEntry[];
}

export interface QuiltPatch {
  readonly identifier: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

/** A quilt is exactly p·s·symbol_size bytes with an even symbol size. */
export function quiltGeometry(quiltLength: number, nShards: number): QuiltGeometry {
  const { primarySymbols: rows, secondarySymbols: columns } = encodingConfig(nShards);
  const symbolSize = quiltLength / (rows * columns);
  if (!Number.isInteger(symbolSize) || symbolSize < 2 || symbolSize % 2 !== 0) {
    throw new WalrusCodecError(
      'quilt-malformed',
      `a ${quiltLength}-byte blob is not a quilt for ${nShards} shards (length must be ${rows}·${columns}·symbol_size with an even symbol size)`,
    );
  }
  return { nShards, rows, columns, symbolSize, columnSize: rows * symbolSize };
}

/** Concatenates columns [start, end) of the quilt, each read top to bottom. */
export function quiltColumns(quilt: Uint8Array, geometry: QuiltGeometry, start: number, end: number): Uint8Array {
  if (start < 0 || end > geometry.columns || start >= end) {
    throw new WalrusCodecError('quilt-malformed', `column range [${start}, ${end}) is outside the quilt's ${geometry.columns} columns`);
  }
  const { rows, symbolSize, columns } = geometry;
  const rowSize = columns * symbolSize;
  const out = new Uint8Array((end - start) * geometry.columnSize);
  let offset = 0;
  for (let column = start; column < end; column++) {
    for (let row = 0; row < rows; row++) {
      const from = row * rowSize + column * symbolSize;
      out.set(quilt.subarray(from, from + symbolSize), offset);
      offset += symbolSize;
    }
  }
  return out;
}

/** How many columns the index takes, read from the 5-byte prefix at the top of column 0. */
export function indexColumnCount(column0: Uint8Array, geometry: QuiltGeometry): number {
  const reader = new ByteReader(column0, 'quilt index');
  const version = reader.u8('version');
  if (version !== QUILT_VERSION_V1) reader.fail(`unsupported quilt version 0x${version.toString(16)}`);
  const length = reader.u32('index length');
  const count = Math.ceil((INDEX_PREFIX_LENGTH + length) / geometry.columnSize);
  if (count > MAX_INDEX_COLUMNS || count >= geometry.columns) {
    reader.fail(`index of ${length} bytes would need ${count} columns (at most ${Math.min(MAX_INDEX_COLUMNS, geometry.columns - 1)})`);
  }
  return count;
}

/** Decodes the index from the bytes of its columns (column-major, starting at column 0). */
export function decodeQuiltIndex(indexBytes: Uint8Array, geometry: QuiltGeometry): QuiltIndex {
  const indexColumns = indexColumnCount(indexBytes, geometry);
  const reader = new ByteReader(indexBytes, 'quilt index');
  reader.u8('version');
  const length = reader.u32('index length');
  const body = new ByteReader(reader.bytes(length, 'index body'), 'quilt index');
  const count = body.uleb128('patch count');
  if (count === 0) body.fail('no patches');
  const entries: QuiltIndexEntry[] = [];
  let start = indexColumns;
  for (let i = 0; i < count; i++) {
    const end = body.u16(`patch ${i} end_index`);
    const identifier = body.string(`patch ${i} identifier`);
    const tags = readTags(body, `patch ${i} tags`);
    if (end <= start || end > geometry.columns) {
      body.fail(`patch ${i} column range [${start}, ${end}) is empty or beyond ${geometry.columns} columns`);
    }
    const previous = entries.at(-1);
    if (previous && !(previous.identifier < identifier)) {
      body.fail(`identifiers are not strictly sorted at patch ${i} (${JSON.stringify(identifier)})`);
    }
    entries.push({ identifier, tags, startColumn: start, endColumn: end });
    start = end;
  }
  if (body.remaining !== 0) body.fail(`${body.remaining} trailing bytes after ${count} patches`);
  return { geometry, indexColumns, entries };
}

/** Reads the index of a whole quilt blob. */
export function parseQuiltIndex(quilt: Uint8Array, nShards: number): QuiltIndex {
  const geometry = quiltGeometry(quilt.length, nShards);
  const count = indexColumnCount(quiltColumns(quilt, geometry, 0, 1), geometry);
  return decodeQuiltIndex(quiltColumns(quilt, geometry, 0, count), geometry);
}

/** Decodes one patch from the bytes of its columns (header, identifier, tags, data, padding). */
export function decodeQuiltPatch(columnBytes: Uint8Array): QuiltPatch {
  const reader = new ByteReader(columnBytes, 'quilt patch');
  const version = reader.u8('blob header version');
  if (version !== BLOB_HEADER_VERSION_V1) reader.fail(`unsupported blob header version 0x${version.toString(16)}`);
  const length = reader.u32('blob length');
  const mask = reader.u8('blob header mask');
  const rest = new ByteReader(reader.bytes(length, 'patch contents'), 'quilt patch');
  const identifierLength = rest.u16('identifier length');
  const identifierReader = new ByteReader(rest.bytes(identifierLength, 'identifier'), 'quilt patch');
  const identifier = identifierReader.string('identifier');
  if (identifierReader.remaining !== 0) rest.fail('identifier length does not match its BCS string');
  let tags: Record<string, string> = {};
  if ((mask & HAS_TAGS) !== 0) {
    const tagsLength = rest.u16('tags length');
    const tagsReader = new ByteReader(rest.bytes(tagsLength, 'tags'), 'quilt patch');
    tags = readTags(tagsReader, 'tags');
    if (tagsReader.remaining !== 0) rest.fail('tags length does not match their BCS map');
  }
  return { identifier, tags, data: rest.bytes(rest.remaining, 'data').slice() };
}

export type PatchSelector = { readonly identifier: string } | { readonly startColumn: number; readonly endColumn: number };

/** Extracts one patch by identifier or column range and checks it against the index. */
export function readQuiltPatch(quilt: Uint8Array, nShards: number, selector: PatchSelector): QuiltPatch & QuiltPatchLocation {
  const index = parseQuiltIndex(quilt, nShards);
  const entry =
    'identifier' in selector
      ? index.entries.find((e) => e.identifier === selector.identifier)
      : index.entries.find((e) => e.startColumn === selector.startColumn && e.endColumn === selector.endColumn);
  if (!entry) {
    const wanted = 'identifier' in selector ? `identifier ${JSON.stringify(selector.identifier)}` : `columns [${selector.startColumn}, ${selector.endColumn})`;
    throw new WalrusCodecError('quilt-patch-not-found', `the quilt has no patch with ${wanted}`);
  }
  const patch = decodeQuiltPatch(quiltColumns(quilt, index.geometry, entry.startColumn, entry.endColumn));
  if (patch.identifier !== entry.identifier) {
    throw new WalrusCodecError('quilt-malformed', `patch at columns [${entry.startColumn}, ${entry.endColumn}) is named ${JSON.stringify(patch.identifier)}, the index says ${JSON.stringify(entry.identifier)}`);
  }
  return { ...patch, startColumn: entry.startColumn, endColumn: entry.endColumn };
}

function readTags(reader: ByteReader, field: string): Record<string, string> {
  const count = reader.uleb128(`${field} count`);
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    pairs.push([reader.string(`${field} key ${i}`), reader.string(`${field} value ${i}`)]);
  }
  // fromEntries defines own properties, so a tag named "__proto__" cannot reach the prototype.
  return Object.fromEntries(pairs);
}
