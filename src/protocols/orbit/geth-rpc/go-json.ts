// The output side of Go's encoding/json, for responses that must match a Go server byte for byte.
// Two places differ from JSON.stringify:
//   - Go escapes `<`, `>`, `&`, U+2028 and U+2029 in every string (HTMLEscape is on by default;
//     encoding/json encode.go appendString), so an error message like "a < b" is "a \u003c b";
//   - Go's `[]byte` fields are standard, padded base64 (encoding/json encode.go encodeByteSlice),
//     which is what Nitro's `PayloadResult.Payload` and preimage values are on the wire.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * A JSON string literal exactly as Go's encoding/json writes it.
 * @example goQuote('a<b') // '"a\\u003cb"'
 */
export function goQuote(value: string): string {
  // JSON.stringify already matches Go for quotes, backslashes and control characters (Go ≥ 1.22
  // writes \b and \f like JavaScript). A lone surrogate can only come from a `\ud800`-style
  // escape in the request, which Go decodes to U+FFFD; do the same before encoding.
  return JSON.stringify(value.replace(LONE_SURROGATE, '\ufffd')).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}

/**
 * Go's JSON encoding of a `[]byte`: standard base64 with padding, quoted; `null` for nil.
 * @example goBytes(Uint8Array.of(0, 1)) // '"AAE="'
 */
export function goBytes(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return 'null';
  return `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
}
