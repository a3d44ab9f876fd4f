import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mediaType } from './http-server.ts';

describe('mediaType (Go mime.ParseMediaType, as geth validates Content-Type)', () => {
  it('accepts what Go accepts and lowercases the type', () => {
    expect(mediaType('application/json')).toBe('application/json');
    expect(mediaType('Application/JSON; charset=UTF-8')).toBe('application/json');
    expect(mediaType(' application/json ;charset="utf-8";')).toBe('application/json');
    expect(mediaType('application/json-rpc')).toBe('application/json-rpc');
  });

  it('rejects what Go rejects', () => {
    for (const header of [undefined, '', 'application/json; charset', 'application/json; =x', 'application/json/x', 'app lication/json', 'application/json; a=b c']) {
      expect(mediaType(header), String(header)).toBeUndefined();
    }
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        const result = mediaType(header);
        if (result !== undefined) expect(result).toBe(result.toLowerCase());
      }),
    );
  });
});
