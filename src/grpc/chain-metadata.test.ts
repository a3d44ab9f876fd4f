// The parsers of chain credentials in gRPC metadata, which is untrusted text: whatever a client
// sends, they return what a well-formed value says or throw their own typed error, and no error
// ever quotes what was sent (it may be a secret).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, UnauthenticatedError } from '../core/index.ts';
import { CHAIN_NAME_ERRORS, CREDENTIAL_ERRORS, bearerSecret, chainName } from './chain-metadata.ts';

/** Visible ASCII with inner spaces: what an ASCII metadata value can carry as a secret. */
const visible = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
const secret = fc
  .tuple(visible, fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }), visible)
  .map(([first, middle, last]) => `${first}${middle}${last}`);
const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR');
const anyValue = fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 }), secret.map((s) => `Bearer ${s}`), secret.map((s) => `Basic ${s}`));
const chain = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);

describe('bearerSecret', () => {
  it('reads back the secret of any well-formed Bearer value', () => {
    fc.assert(
      fc.property(scheme, fc.integer({ min: 1, max: 4 }), secret, (s, spaces, value) => {
        expect(bearerSecret([`${s}${' '.repeat(spaces)}${value}`])).toBe(value);
      }),
    );
  });

  it('is undefined without a value', () => {
    expect(bearerSecret([])).toBeUndefined();
  });

  it('answers anything else with UnauthenticatedError and a message that quotes nothing', () => {
    const messages: readonly string[] = Object.values(CREDENTIAL_ERRORS);
    fc.assert(
      fc.property(fc.array(anyValue, { minLength: 1, maxLength: 3 }), (values) => {
        try {
          const parsed = bearerSecret(values);
          expect(values).toHaveLength(1);
          expect(values[0]).toMatch(/^bearer +/i);
          expect(values[0]?.endsWith(parsed ?? '<none>')).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(UnauthenticatedError);
          expect(messages).toContain((error as Error).message);
        }
      }),
    );
  });

  it.each([
    ['another scheme', ['Basic dXNlcjpwYXNz']],
    ['no secret', ['Bearer ']],
    ['no space', ['Bearersecret']],
    ['a trailing space', ['Bearer secret ']],
    ['a control character', ['Bearer se\ncret']],
    ['non-ASCII', ['Bearer sécret']],
    ['binary', [Buffer.from('Bearer secret')]],
    ['two values', ['Bearer a', 'Bearer a']],
  ])('refuses %s', (_label, values) => {
    expect(() => bearerSecret(values)).toThrow(UnauthenticatedError);
  });
});

describe('chainName', () => {
  it('reads back every chain name the chains file allows', () => {
    fc.assert(
      fc.property(chain, (name) => {
        expect(chainName([name])).toBe(name);
      }),
    );
  });

  it('answers anything else with InvalidInputError and a message that quotes nothing', () => {
    const messages: readonly string[] = Object.values(CHAIN_NAME_ERRORS);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 70 }), chain), { minLength: 1, maxLength: 2 }), (values) => {
        try {
          expect(chainName(values)).toBe(values[0]);
          expect(values).toHaveLength(1);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          expect(messages).toContain((error as Error).message);
        }
      }),
    );
  });

  it.each([['Alpha'], ['-alpha'], ['alpha-'], ['a'.repeat(64)], ['al pha'], ['']])('refuses %j', (name) => {
    expect(() => chainName([name])).toThrow(InvalidInputError);
  });
});
