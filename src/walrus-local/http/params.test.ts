import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blobIdToText } from '../../walrus/codec/index.ts';
import { ApiError } from './api-status.ts';
import { parseAxis, parseBlobIdParam, parseObjectId, parsePairIndex, parseQuery, parseQuiltPatchIdParam } from './params.ts';

/** Every parser either returns a value or throws a 400 ApiError: never anything else. */
function only400(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).httpCode).toBe(400);
  }
}

describe('route parameter parsers', () => {
  it('accept exactly the canonical forms', () => {
    const id = new Uint8Array(32).fill(7);
    expect(parseBlobIdParam(blobIdToText(id))).toEqual(id);
    expect(parsePairIndex('0', 10)).toBe(0);
    expect(parsePairIndex('9', 10)).toBe(9);
    expect(parseAxis('secondary')).toBe('secondary');
    expect(parseObjectId('0x2')).toBe(`0x${'0'.repeat(63)}2`);
    expect(parseObjectId('AB'.repeat(32))).toBe(`0x${'ab'.repeat(32)}`);
    expect(parseQuiltPatchIdParam('_LqwDlLXnSBpboRKxpzGGFTpR4EFNcVlZ33SALps4uYBAgADAA')).toMatchObject({ startColumn: 2, endColumn: 3 });
    expect(parseQuery({ epochs: '3', permanent: 'true' }, { epochs: 'u32', permanent: 'bool' } as const)).toEqual({ epochs: 3, permanent: true });
  });

  it('refuse near misses with precise 400s', () => {
    expect(() => parsePairIndex('10', 10)).toThrow(/requires 0 <= index \(10\) < 10/);
    for (const bad of ['', '-1', '01', '1.0', '+1', '0x1', '99999', ' 1']) expect(() => parsePairIndex(bad, 10), bad).toThrow(ApiError);
    for (const bad of ['Primary', 'primary ', '']) expect(() => parseAxis(bad), bad).toThrow(ApiError);
    for (const bad of ['0x', '0xg', `0x${'1'.repeat(65)}`, '1'.repeat(63), '']) expect(() => parseObjectId(bad), bad).toThrow(ApiError);
    expect(() => parseQuery({ epochs: '4294967296' }, { epochs: 'u32' } as const)).toThrow(/must be a u32/);
    expect(() => parseQuery({ permanent: '1' }, { permanent: 'bool' } as const)).toThrow(/true or false/);
    expect(() => parseQuery({ x: 'y' }, { epochs: 'u32' } as const)).toThrow(/unknown query parameter "x"/);
    expect(() => parseQuery({ epochs: ['1', '2'] }, { epochs: 'u32' } as const)).toThrow(/more than once/);
    expect(() => parseQuery({ constructor: '1' }, { epochs: 'u32' } as const)).toThrow(/unknown query parameter/);
  });

  it('never throw anything but a 400 on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 4, max: 2000 }), (text, n) => {
        only400(() => parseBlobIdParam(text));
        only400(() => parsePairIndex(text, n));
        only400(() => parseAxis(text));
        only400(() => parseObjectId(text));
        only400(() => parseQuiltPatchIdParam(text));
        only400(() => parseQuery({ [text]: text }, { epochs: 'u32', permanent: 'bool', to: 'string' } as const));
        only400(() => parseQuery({ epochs: text, permanent: text }, { epochs: 'u32', permanent: 'bool' } as const));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), (text) => only400(() => parseBlobIdParam(text))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{50}$/), (text) => only400(() => parseQuiltPatchIdParam(text))),
      { numRuns: 500 },
    );
  });
});
