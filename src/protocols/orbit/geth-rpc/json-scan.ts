// A JSON scanner for untrusted request bodies that behaves like go-ethereum's HTTP codec, which
// is Go's `json.Decoder` reading ONE value from the body (go-ethereum rpc/http.go
// newHTTPServerConn, rpc/json.go readBatch):
//
//   - only the first JSON value counts; whatever follows it is ignored (Go's decoder stops
//     there, so `{"id":1,…}garbage` is served);
//   - a body of whitespace alone is io.EOF: geth writes no response at all;
//   - any syntax error or truncation is "parse error" (rpc/server.go messageForReadError).
//
// Values are returned as spans into the text rather than parsed objects, because geth keeps
// some of them raw: the `id` is echoed byte for byte (json.RawMessage), and hexutil decoders
// see the characters between the quotes without unescaping them (common/hexutil/json.go).
// A 5 MB batch is a 10 MB hex string, so strings are skipped with a sticky regular expression
// instead of a per-character loop, and nothing is materialised until asked for.

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'true' | 'false' | 'null';

/** A JSON value located in the scanned text: `text.slice(start, end)` is its raw form. */
export interface JsonSpan {
  readonly kind: JsonKind;
  readonly start: number;
  readonly end: number;
}

export interface JsonMember {
  readonly key: string;
  readonly value: JsonSpan;
}

/** Thrown for malformed or truncated JSON; geth answers both with "parse error". */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  readonly position: number;

  constructor(message: string, position: number) {
    super(`${message} at offset ${position}`);
    this.position = position;
  }
}

/** Go's encoding/json nesting limit (maxNestingDepth); deeper input is a syntax error. */
export const MAX_NESTING_DEPTH = 10_000;

const OPEN_ARRAY = 0;
const OPEN_OBJECT = 1;
/** Characters a JSON string may hold without escaping; used to jump over long strings. */
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters inside strings
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const ESCAPABLE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX_DIGIT = /^[0-9a-fA-F]$/;

/**
 * The first JSON value of `text`, or undefined if the text is only whitespace (geth: io.EOF).
 * @throws JsonSyntaxError when the first value is malformed or incomplete.
 */
export function scanFirstValue(text: string): JsonSpan | undefined {
  const start = skipWhitespace(text, 0);
  if (start >= text.length) return undefined;
  return scanValue(text, start);
}

/** Scans the value that starts exactly at `start` (no leading whitespace). */
export function scanValue(text: string, start: number): JsonSpan {
  const kind = kindAt(text, start);
  return { kind, start, end: scanValueEnd(text, start) };
}

/** The members of an object span, in document order, duplicates kept (Go assigns in order). */
export function objectMembers(text: string, span: JsonSpan): JsonMember[] {
  const members: JsonMember[] = [];
  let pos = skipWhitespace(text, span.start + 1);
  if (text[pos] === '}') return members;
  for (;;) {
    const keyEnd = scanString(text, pos);
    const key = decodeString(text, pos, keyEnd);
    pos = skipWhitespace(text, keyEnd);
    expectChar(text, pos, ':');
    pos = skipWhitespace(text, pos + 1);
    const value = scanValue(text, pos);
    members.push({ key, value });
    pos = skipWhitespace(text, value.end);
    if (text[pos] === '}') return members;
    expectChar(text, pos, ',');
    pos = skipWhitespace(text, pos + 1);
  }
}

/** The elements of an array span, in order. */
export function arrayItems(text: string, span: JsonSpan): JsonSpan[] {
  const items: JsonSpan[] = [];
  let pos = skipWhitespace(text, span.start + 1);
  if (text[pos] === ']') return items;
  for (;;) {
    const item = scanValue(text, pos);
    items.push(item);
    pos = skipWhitespace(text, item.end);
    if (text[pos] === ']') return items;
    expectChar(text, pos, ',');
    pos = skipWhitespace(text, pos + 1);
  }
}

/** The raw text of a span, exactly as the client sent it. */
export function rawText(text: string, span: JsonSpan): string {
  return text.slice(span.start, span.end);
}

/** The characters between the quotes of a string span, escapes left as they are (hexutil's view). */
export function stringContent(text: string, span: JsonSpan): string {
  return text.slice(span.start + 1, span.end - 1);
}

/** The decoded value of a string span. */
export function stringValue(text: string, span: JsonSpan): string {
  return decodeString(text, span.start, span.end);
}

function decodeString(text: string, start: number, end: number): string {
  const content = text.slice(start + 1, end - 1);
  return content.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : content;
}

function kindAt(text: string, pos: number): JsonKind {
  switch (text.charAt(pos)) {
    case '{':
      return 'object';
    case '[':
      return 'array';
    case '"':
      return 'string';
    case 't':
      return 'true';
    case 'f':
      return 'false';
    case 'n':
      return 'null';
    default:
      return 'number';
  }
}

// Iterative, so that hostile nesting cannot overflow the JS stack before Go's depth limit.
function scanValueEnd(text: string, start: number): number {
  const open: number[] = [];
  let pos = start;
  for (;;) {
    // A value starts at `pos`.
    const c = text[pos];
    if (c === '{' || c === '[') {
      if (open.length >= MAX_NESTING_DEPTH) throw new JsonSyntaxError('exceeded max depth', pos);
      const isObject = c === '{';
      open.push(isObject ? OPEN_OBJECT : OPEN_ARRAY);
      pos = skipWhitespace(text, pos + 1);
      if (text[pos] === (isObject ? '}' : ']')) {
        open.pop();
        pos++;
      } else {
        if (isObject) pos = scanKey(text, pos);
        continue;
      }
    } else if (c === '"') {
      pos = scanString(text, pos);
    } else if (c === 't' || c === 'f' || c === 'n') {
      pos = scanLiteral(text, pos, c === 't' ? 'true' : c === 'f' ? 'false' : 'null');
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      pos = scanNumber(text, pos);
    } else {
      throw unexpected(text, pos, 'looking for beginning of value');
    }
    // The value ended at `pos`: close containers until one expects another element.
    for (;;) {
      const top = open.at(-1);
      if (top === undefined) return pos;
      pos = skipWhitespace(text, pos);
      const d = text[pos];
      if (d === ',') {
        pos = skipWhitespace(text, pos + 1);
        if (top === OPEN_OBJECT) pos = scanKey(text, pos);
        break;
      }
      if (d === (top === OPEN_OBJECT ? '}' : ']')) {
        open.pop();
        pos++;
        continue;
      }
      throw unexpected(text, pos, top === OPEN_OBJECT ? "after object key:value pair" : 'after array element');
    }
  }
}

/** `"key"` `:` and the whitespace before the value; returns where the value starts. */
function scanKey(text: string, pos: number): number {
  if (text[pos] !== '"') throw unexpected(text, pos, 'looking for beginning of object key string');
  pos = skipWhitespace(text, scanString(text, pos));
  expectChar(text, pos, ':');
  return skipWhitespace(text, pos + 1);
}

/** `pos` is at the opening quote; returns the index after the closing quote. */
function scanString(text: string, pos: number): number {
  if (text[pos] !== '"') throw unexpected(text, pos, 'looking for beginning of string');
  pos++;
  for (;;) {
    PLAIN_STRING_RUN.lastIndex = pos;
    PLAIN_STRING_RUN.test(text);
    pos = PLAIN_STRING_RUN.lastIndex;
    const c = text[pos];
    if (c === '"') return pos + 1;
    if (c === undefined) throw new JsonSyntaxError('unexpected end of JSON input', pos);
    if (c !== '\\') throw unexpected(text, pos, 'in string literal');
    const escaped = text[pos + 1];
    if (escaped === undefined) throw new JsonSyntaxError('unexpected end of JSON input', pos + 1);
    if (escaped === 'u') {
      for (let i = 2; i < 6; i++) {
        const h = text[pos + i];
        if (h === undefined) throw new JsonSyntaxError('unexpected end of JSON input', pos + i);
        if (!HEX_DIGIT.test(h)) throw unexpected(text, pos + i, 'in \\u hexadecimal character escape');
      }
      pos += 6;
    } else if (ESCAPABLE.has(escaped)) {
      pos += 2;
    } else {
      throw unexpected(text, pos + 1, 'in string escape code');
    }
  }
}

// Go's number grammar (encoding/json scanner.go state0/state1/stateDot/stateE…): a number ends
// at the first character that cannot continue it, but a dangling `-`, `.` or exponent is an error.
function scanNumber(text: string, pos: number): number {
  if (text[pos] === '-') pos++;
  if (text[pos] === '0') {
    pos++;
  } else {
    pos = digits(text, pos, 'in numeric literal');
  }
  if (text[pos] === '.') pos = digits(text, pos + 1, 'after decimal point in numeric literal');
  if (text[pos] === 'e' || text[pos] === 'E') {
    pos++;
    if (text[pos] === '+' || text[pos] === '-') pos++;
    pos = digits(text, pos, 'in exponent of numeric literal');
  }
  return pos;
}

/** At least one digit at `pos`; returns the index after the run. */
function digits(text: string, pos: number, context: string): number {
  const first = text[pos];
  if (first === undefined) throw new JsonSyntaxError('unexpected end of JSON input', pos);
  if (first < '0' || first > '9') throw unexpected(text, pos, context);
  pos++;
  for (let c = text[pos]; c !== undefined && c >= '0' && c <= '9'; c = text[pos]) pos++;
  return pos;
}

function scanLiteral(text: string, pos: number, literal: string): number {
  for (let i = 0; i < literal.length; i++) {
    const c = text[pos + i];
    if (c === undefined) throw new JsonSyntaxError('unexpected end of JSON input', pos + i);
    if (c !== literal[i]) throw unexpected(text, pos + i, `in literal ${literal} (expecting '${literal[i]}')`);
  }
  return pos + literal.length;
}

function expectChar(text: string, pos: number, char: string): void {
  if (text[pos] !== char) throw unexpected(text, pos, `expecting '${char}'`);
}

/** Go's isSpace: only these four characters are insignificant whitespace. */
function skipWhitespace(text: string, pos: number): number {
  for (let c = text.charCodeAt(pos); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(pos)) pos++;
  return pos;
}

function unexpected(text: string, pos: number, context: string): JsonSyntaxError {
  const c = text[pos];
  return c === undefined
    ? new JsonSyntaxError('unexpected end of JSON input', pos)
    : new JsonSyntaxError(`invalid character ${JSON.stringify(c)} ${context}`, pos);
}
