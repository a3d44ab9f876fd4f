import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blobIdFromText, blobIdFromU256, blobIdToText, blobIdToU256, pairForShard, rotationOffset, shardForPair } from './blob-id.ts';
import { WalrusCodecError } from './errors.ts';

// docs/wire/walrus.md "Test vectors": "hello walrus" at n = 1000.
const HELLO_1000 = 'kIrHJ_1VfYJD-OV0O1JicM2lB5swr83ZkfvTD7BWV0I';

describe('blob id forms', () => {
  it('converts text ⇄ bytes ⇄ Sui u256 (little-endian) as the spec vector says', () => {
    const bytes = blobIdFromText(HELLO_1000);
    expect(Buffer.from(bytes).toString('hex')).toBe('908ac727fd557d8243f8e5743b526270cda5079b30afcdd991fbd30fb0565742');
    expect(blobIdToU256(bytes)).toBe(30006961997934627473707901925650318573932174743741889533894759733632690522768n);
    expect(blobIdToU256(bytes).toString(16)).toBe('425756b00fd3fb91d9cdaf309b07a5cd7062523b74e5f843827d55fd27c78a90');
    expect(blobIdFromU256(blobIdToU256(bytes))).toEqual(bytes);
    expect(blobIdToText(bytes)).toBe(HELLO_1000);
    expect(blobIdToU256(blobIdFromText('5g7EUy58ReQir0t11jz709ae5cdZT24btlovkXo28U8'))).toBe(
      36158901179395618125763178839711849645138859724048530735617212903418184863462n,
    );
  });

  it('computes the shard rotation from the big-endian reading', () => {
    expect(rotationOffset(blobIdFromText(HELLO_1000), 1000)).toBe(898);
    expect(rotationOffset(blobIdFromText('5g7EUy58ReQir0t11jz709ae5cdZT24btlovkXo28U8'), 10)).toBe(7);
    const id = blobIdFromText(HELLO_1000);
    expect(shardForPair(0, id, 1000)).toBe(898);
    expect(shardForPair(200, id, 1000)).toBe(98);
    expect(pairForShard(98, id, 1000)).toBe(200);
  });

  it('round-trips every form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 4, max: 2000 }), (bytes, n) => {
        expect(blobIdFromText(blobIdToText(bytes))).toEqual(bytes);
        expect(blobIdFromU256(blobIdToU256(bytes))).toEqual(bytes);
        for (const pair of [0, n - 1, Math.floor(n / 2)]) expect(pairForShard(shardForPair(pair, bytes, n), bytes, n)).toBe(pair);
      }),
    );
  });

  it('parses text strictly', () => {
    const bad = [
      '',
      HELLO_1000 + '=',
      HELLO_1000.slice(0, 42),
      HELLO_1000.replace('_', '/'),
      'kIrHJ_1VfYJD-OV0O1JicM2lB5swr83ZkfvTD7BWV0J', // non-zero trailing bits
    ];
    for (const text of bad) expect(() => blobIdFromText(text)).toThrowError(WalrusCodecError);
    expect(() => blobIdToText(new Uint8Array(31))).toThrowError('expected 32 bytes, got 31');
    expect(() => blobIdFromU256(1n << 256n)).toThrowError('out of range');
  });
});
