// The deterministic byte stream of test/vectors/walrus-vectors.json ("byteStream"):
// xorshift32 (x ^= x << 13; x ^= x >>> 17; x ^= x << 5, as uint32), emitting x & 0xff per step.
export function xorshift32Bytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
