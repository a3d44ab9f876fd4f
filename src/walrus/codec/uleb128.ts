/** BCS's ULEB128 length/tag prefix: 7 bits per byte, low group first, high bit = more follows. */
export function encodeUleb128(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return Uint8Array.from(out);
}
