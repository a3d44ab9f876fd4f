// Byte comparison.

/** Byte-for-byte equality (not constant-time: nothing secret is compared with it). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
