// Result encodings pinned against the Go types' JSON (nitro daprovider/server_api/types.go,
// daprovider/reader.go, data_streaming/receiver.go).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  headerBytesResult,
  maxSizeResult,
  payloadAndPreimagesResult,
  payloadResult,
  preimagesResult,
  startStreamingResult,
  storeResult,
} from './results.ts';

const h = new Uint8Array(32).fill(0xab);
const hHex = `0x${'ab'.repeat(32)}`;

describe('Orbit results', () => {
  it('match Go encoding/json byte for byte', () => {
    expect(headerBytesResult(Uint8Array.of(1))).toBe('{"headerBytes":"0x01"}');
    expect(maxSizeResult(10_485_760)).toBe('{"maxSize":10485760}');
    expect(storeResult(Uint8Array.of(1, 0x57, 0))).toBe('{"serialized-da-cert":"0x015700"}');
    expect(startStreamingResult(0x1fn)).toBe('{"BatchId":"0x1f"}');
    expect(startStreamingResult((1n << 64n) - 1n)).toBe('{"BatchId":"0xffffffffffffffff"}');
    expect(payloadResult(Uint8Array.of(0, 1, 2))).toBe('{"Payload":"AAEC"}');
    expect(preimagesResult(h, Uint8Array.of(0))).toBe(`{"Preimages":{"3":{"${hHex}":"AA=="}}}`);
    expect(payloadAndPreimagesResult(h, Uint8Array.of(0, 1))).toBe(`{"Payload":"AAE=","Preimages":{"3":{"${hHex}":"AAE="}}}`);
  });

  it('omit empty omitempty fields as Go does', () => {
    expect(headerBytesResult(new Uint8Array())).toBe('{}');
    expect(storeResult(new Uint8Array())).toBe('{}');
    expect(startStreamingResult(0n)).toBe('{}');
    expect(payloadResult(new Uint8Array())).toBe('{"Payload":""}');
  });

  it('decode back to the same bytes (base64 payloads, hex certificates)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (payload, key) => {
        const both = JSON.parse(payloadAndPreimagesResult(key, payload)) as { Payload: string; Preimages: Record<string, Record<string, string>> };
        expect(Buffer.from(both.Payload, 'base64')).toEqual(Buffer.from(payload));
        const [hash, value] = Object.entries(both.Preimages['3'] ?? {})[0] ?? [];
        expect(hash).toBe(`0x${Buffer.from(key).toString('hex')}`);
        expect(Buffer.from(value ?? '', 'base64')).toEqual(Buffer.from(payload));
        const store = JSON.parse(storeResult(payload.length ? payload : Uint8Array.of(1))) as Record<string, string>;
        expect(store['serialized-da-cert']).toMatch(/^0x([0-9a-f]{2})+$/);
      }),
    );
  });

  it('refuses a preimage key that is not a hash', () => {
    expect(() => preimagesResult(new Uint8Array(31), new Uint8Array())).toThrow(RangeError);
  });
});
