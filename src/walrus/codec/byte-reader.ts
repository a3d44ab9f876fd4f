// A bounds-checked cursor over untrusted bytes (quilt indexes and patch headers, BCS values).
// Every read either succeeds or throws a WalrusCodecError saying what ran short; nothing reads
// past the end and no length field can make us allocate more than the input holds.
import { WalrusCodecError, type WalrusCodecErrorReason } from './errors.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #reason: WalrusCodecErrorReason;
  readonly #what: string;
  #offset = 0;

  constructor(bytes: Uint8Array, what: string, reason: WalrusCodecErrorReason = 'quilt-malformed') {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#what = what;
    this.#reason = reason;
  }

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  u8(field: string): number {
    this.#need(1, field);
    return this.#view.getUint8(this.#offset++);
  }

  u16(field: string): number {
    this.#need(2, field);
    const value = this.#view.getUint16(this.#offset, true);
    this.#offset += 2;
    return value;
  }

  u32(field: string): number {
    this.#need(4, field);
    const value = this.#view.getUint32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  /** BCS ULEB128 length, limited to u32 like Move's vectors. */
  uleb128(field: string): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.u8(field);
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffff) this.fail(`${field}: ULEB128 value exceeds u32`);
        return value;
      }
    }
    return this.fail(`${field}: ULEB128 longer than 5 bytes`);
  }

  bytes(length: number, field: string): Uint8Array {
    this.#need(length, field);
    const out = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  /** BCS `String`: ULEB128 byte length then UTF-8. */
  string(field: string): string {
    const length = this.uleb128(`${field} length`);
    const raw = this.bytes(length, field);
    try {
      return UTF8.decode(raw);
    } catch (error) {
      return this.fail(`${field}: invalid UTF-8`, error);
    }
  }

  fail(message: string, cause?: unknown): never {
    throw new WalrusCodecError(this.#reason, `malformed ${this.#what}: ${message}`, cause === undefined ? undefined : { cause });
  }

  #need(length: number, field: string): void {
    if (length > this.remaining) {
      this.fail(`${field} needs ${length} bytes at offset ${this.#offset}, only ${this.remaining} left`);
    }
  }
}
