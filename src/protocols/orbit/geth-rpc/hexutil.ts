// go-ethereum's JSON types for positional parameters and results, with the exact error text a
// Go server produces for bad input (common/hexutil/json.go, common/hexutil/hexutil.go,
// common/types.go Hash). The dispatcher prefixes these with "invalid argument <i>: ".
//
// Decoders receive the raw characters between the JSON quotes, unescaped, because that is what
// hexutil's UnmarshalJSON hands to UnmarshalText (`input[1:len(input)-1]`). Lengths are counted
// in UTF-8 bytes, as Go's len() does.
import { bytesToHex } from '../../../bytes/index.ts';
import { stringContent, stringValue, type JsonSpan } from './json-scan.ts';

/** A positional parameter type: how Go decodes one element of `params`. */
export interface RpcParamType<T> {
  /** The Go type name used in error messages, e.g. `hexutil.Bytes`. */
  readonly goType: string;
  /** Decodes one element of the params array; throws ParamDecodeError with Go's message. */
  decode(text: string, span: JsonSpan): T;
}

/** A parameter Go would refuse; `message` is Go's error text for it. */
export class ParamDecodeError extends Error {
  override readonly name = 'ParamDecodeError';
}

const MAX_UINT64 = (1n << 64n) - 1n;
const HEX = /^[0-9a-fA-F]*$/;
const NON_ASCII = /[\u0080-\uffff]/;

// hexutil's decError texts.
const ERR_SYNTAX = 'invalid hex string';
const ERR_MISSING_PREFIX = 'hex string without 0x prefix';
const ERR_ODD_LENGTH = 'hex string of odd length';
const ERR_EMPTY_NUMBER = 'hex string "0x"';
const ERR_LEADING_ZERO = 'hex number with leading zero digits';
const ERR_UINT64_RANGE = 'hex number > 64 bits';

/** `hexutil.Bytes`: `"0x"` + even-length hex, either case; `""` and `"0x"` are empty. */
export const hexBytes: RpcParamType<Uint8Array> = {
  goType: 'hexutil.Bytes',
  decode(text, span) {
    const hex = hexDigits(text, span, this.goType);
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  },
};

/** `hexutil.Uint64`: `"0x"` + 1–16 hex digits without leading zeros; `""` is 0. */
export const hexUint64: RpcParamType<bigint> = {
  goType: 'hexutil.Uint64',
  decode(text, span) {
    const input = quoted(text, span, this.goType);
    if (input.length === 0) return 0n;
    if (!hasHexPrefix(input)) throw typeError(ERR_MISSING_PREFIX, this.goType);
    const digits = input.slice(2);
    if (digits.length === 0) throw typeError(ERR_EMPTY_NUMBER, this.goType);
    if (digits.length > 1 && digits[0] === '0') throw typeError(ERR_LEADING_ZERO, this.goType);
    if (goLength(digits) > 16) throw typeError(ERR_UINT64_RANGE, this.goType);
    if (!HEX.test(digits)) throw typeError(ERR_SYNTAX, this.goType);
    return BigInt(`0x${digits}`);
  },
};

/** `common.Hash`: `"0x"` + exactly 64 hex digits. */
export const hash: RpcParamType<Uint8Array> = {
  goType: 'common.Hash',
  decode(text, span) {
    // UnmarshalFixedText: prefix and parity are checked first (wrapped as type errors), then the
    // length (a plain error, not wrapped), then the digits.
    const input = quoted(text, span, this.goType);
    let digits = '';
    if (input.length > 0) {
      if (!hasHexPrefix(input)) throw typeError(ERR_MISSING_PREFIX, this.goType);
      digits = input.slice(2);
      if (goLength(digits) % 2 !== 0) throw typeError(ERR_ODD_LENGTH, this.goType);
    }
    if (goLength(digits) !== 64) {
      throw new ParamDecodeError(`hex string has length ${goLength(digits)}, want 64 for ${this.goType}`);
    }
    if (!HEX.test(digits)) throw typeError(ERR_SYNTAX, this.goType);
    return Uint8Array.from(Buffer.from(digits, 'hex'));
  },
};

/**
 * A Go string type (e.g. `rpc.ID`): a JSON string, or null for "" (null is a no-op in Go);
 * anything else is a type error naming the JSON kind.
 */
export function goString(goType: string): RpcParamType<string> {
  return {
    goType,
    decode(text, span) {
      switch (span.kind) {
        case 'string':
          return stringValue(text, span);
        case 'null':
          return '';
        case 'true':
        case 'false':
          throw typeError('bool', goType);
        case 'number':
        case 'object':
        case 'array':
          throw typeError(span.kind, goType);
      }
    },
  };
}

/** Canonical `hexutil.Bytes` text: `0x` + lowercase hex (`0x` for empty). */
export function encodeHexBytes(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** Canonical `hexutil.Uint64` text: `0x` + lowercase hex without leading zeros (`0x0`). */
export function encodeHexUint64(value: bigint | number): string {
  const big = BigInt(value);
  if (big < 0n || big > MAX_UINT64) throw new RangeError(`not a uint64: ${big}`);
  return `0x${big.toString(16)}`;
}

/** hexutil.Bytes's checkText(input, wantPrefix=true) plus the digit check of hex.Decode. */
function hexDigits(text: string, span: JsonSpan, goType: string): string {
  const input = quoted(text, span, goType);
  if (input.length === 0) return '';
  if (!hasHexPrefix(input)) throw typeError(ERR_MISSING_PREFIX, goType);
  const digits = input.slice(2);
  if (goLength(digits) % 2 !== 0) throw typeError(ERR_ODD_LENGTH, goType);
  if (!HEX.test(digits)) throw typeError(ERR_SYNTAX, goType);
  return digits;
}

/** The raw content of a JSON string, or Go's "non-string" error for any other JSON value. */
function quoted(text: string, span: JsonSpan, goType: string): string {
  if (span.kind !== 'string') throw typeError('non-string', goType);
  return stringContent(text, span);
}

function hasHexPrefix(input: string): boolean {
  return input[0] === '0' && (input[1] === 'x' || input[1] === 'X');
}

/** Go's len(): UTF-8 bytes. */
function goLength(value: string): number {
  return NON_ASCII.test(value) ? Buffer.byteLength(value, 'utf8') : value.length;
}

/** encoding/json's UnmarshalTypeError text, as hexutil's wrapTypeError produces it. */
function typeError(value: string, goType: string): ParamDecodeError {
  return new ParamDecodeError(`json: cannot unmarshal ${value} into Go value of type ${goType}`);
}
