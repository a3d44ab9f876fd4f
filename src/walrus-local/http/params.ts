// Strict parsers for route parameters and query strings, which are untrusted input: each returns
// a typed value or throws a 400 `ApiError` naming the offending parameter. Query strings follow
// Walrus's serde rules (`deny_unknown_fields`, bools are exactly `true`/`false`).
import { blobIdFromText, type SliverAxis } from '../../walrus/codec/index.ts';
import { quiltPatchIdFromText, type QuiltPatchId } from '../../commitment/index.ts';
import { ApiError } from './api-status.ts';

const U32_MAX = 0xffff_ffff;

export function parseBlobIdParam(text: string, domain?: string): Uint8Array {
  try {
    return blobIdFromText(text);
  } catch (error) {
    throw invalid('INVALID_BLOB_ID', (error as Error).message, domain);
  }
}

/** A sliver pair index: a decimal u16 below the shard count. */
export function parsePairIndex(text: string, nShards: number, domain?: string): number {
  const value = /^(0|[1-9][0-9]{0,4})$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value > 0xffff) throw invalid('INVALID_SLIVER_PAIR_INDEX', `sliver pair index must be a decimal u16, got ${JSON.stringify(text.slice(0, 32))}`, domain);
  if (value >= nShards) throw invalid('INDEX_OUT_OF_RANGE', `requires 0 <= index (${value}) < ${nShards}`, domain);
  return value;
}

/** `SliverType` in a path: `primary` or `secondary`. */
export function parseAxis(text: string, domain?: string): SliverAxis {
  if (text === 'primary' || text === 'secondary') return text;
  throw invalid('INVALID_SLIVER_TYPE', `sliver type must be "primary" or "secondary", got ${JSON.stringify(text.slice(0, 32))}`, domain);
}

/** A Sui object id (`0x` + 1–64 hex digits, or 64 bare hex digits), normalized to 0x + 64 lowercase hex. */
export function parseObjectId(text: string, name = 'object id', domain?: string): string {
  const match = /^(?:0x([0-9a-fA-F]{1,64})|([0-9a-fA-F]{64}))$/.exec(text);
  const hex = match?.[1] ?? match?.[2];
  if (hex === undefined) throw invalid('INVALID_OBJECT_ID', `${name} must be 0x followed by up to 64 hex digits, got ${JSON.stringify(text.slice(0, 80))}`, domain);
  return `0x${hex.toLowerCase().padStart(64, '0')}`;
}

export function parseQuiltPatchIdParam(text: string): QuiltPatchId {
  try {
    return quiltPatchIdFromText(text);
  } catch (error) {
    throw invalid('INVALID_QUILT_PATCH_ID', (error as Error).message);
  }
}

export type QueryKind = 'bool' | 'u32' | 'string';
type QueryValue<K extends QueryKind> = K extends 'bool' ? boolean : K extends 'u32' ? number : string;
export type ParsedQuery<S extends Record<string, QueryKind>> = { -readonly [N in keyof S]?: QueryValue<S[N]> };

/** Parses a query string object against a schema; unknown or repeated parameters are errors. */
export function parseQuery<S extends Record<string, QueryKind>>(query: unknown, schema: S, domain?: string): ParsedQuery<S> {
  const out: Record<string, boolean | number | string> = {};
  const entries = query && typeof query === 'object' ? Object.entries(query as Record<string, unknown>) : [];
  for (const [name, raw] of entries) {
    const kind = Object.hasOwn(schema, name) ? schema[name] : undefined;
    if (kind === undefined) throw invalid('MALFORMED_REQUEST', `unknown query parameter ${JSON.stringify(name.slice(0, 64))}`, domain);
    if (typeof raw !== 'string') throw invalid('MALFORMED_REQUEST', `query parameter ${name} is given more than once`, domain);
    out[name] = parseValue(name, raw, kind, domain);
  }
  return out as ParsedQuery<S>;
}

function parseValue(name: string, raw: string, kind: QueryKind, domain?: string): boolean | number | string {
  switch (kind) {
    case 'bool':
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw invalid('MALFORMED_REQUEST', `query parameter ${name} must be true or false, got ${JSON.stringify(raw.slice(0, 32))}`, domain);
    case 'u32': {
      const value = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isInteger(value) || value > U32_MAX) throw invalid('MALFORMED_REQUEST', `query parameter ${name} must be a u32, got ${JSON.stringify(raw.slice(0, 32))}`, domain);
      return value;
    }
    case 'string':
      return raw;
  }
}

function invalid(reason: string, message: string, domain?: string): ApiError {
  return new ApiError('INVALID_ARGUMENT', reason, message, domain === undefined ? {} : { domain });
}
