// The Basic-credentials parser takes untrusted header bytes: every valid header round-trips, every
// other one is a clean UnauthenticatedError (401 on this door) whose message never repeats the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../core/index.ts';
import { parseBasicAuthorization } from './basic-auth.ts';
import { httpStatusOf } from './wire-errors.ts';

/** What Go's http.Client sends for a URL's userinfo (client.go basicAuth): base64 of user ":" password. */
const goHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** Parses, and for a refusal checks it is exactly a 401 that does not quote the header. */
function parseOrRefusal(header: string): ReturnType<typeof parseBasicAuthorization> | 'refused' {
  try {
    return parseBasicAuthorization(header);
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(httpStatusOf(error as UnauthenticatedError)).toBe(401);
    if (header.length > 12) expect((error as Error).message).not.toContain(header.slice(6));
    return 'refused';
  }
}

describe('parseBasicAuthorization', () => {
  it('reads no header as no credentials', () => {
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
  });

  it.each([
    ['alpha', 's3cret'],
    ['alpha', 'pa:ss:word'], // Go splits the userinfo at its first ':', the rest is the password
    ['alpha', ''],
    ['', 'only-a-password'],
    ['beta', 'pässwörd ✓ 🔑'],
    ['alpha', 'with space and %41 and +'],
  ])('round-trips user %j, password %j', (user, password) => {
    expect(parseBasicAuthorization(goHeader(user, password))).toEqual({ user, password });
  });

  it('accepts the scheme in any case and several spaces', () => {
    const token = Buffer.from('alpha:x').toString('base64');
    for (const header of [`basic ${token}`, `BASIC ${token}`, `Basic   ${token}`]) {
      expect(parseBasicAuthorization(header)).toEqual({ user: 'alpha', password: 'x' });
    }
  });

  it.each([
    ['another scheme', 'Bearer abc.def.ghi'],
    ['a scheme alone', 'Basic'],
    ['an empty token', 'Basic '],
    ['no space', `Basic${Buffer.from('a:b').toString('base64')}`],
    ['unpadded base64', `Basic ${Buffer.from('alpha:x').toString('base64').replace(/=+$/, '')}`],
    ['base64url', `Basic ${Buffer.from('a:\xff\xfe>?').toString('base64url')}`],
    ['non-canonical trailing bits', 'Basic YWxwaGE6eB=='],
    ['no colon', `Basic ${Buffer.from('alpha').toString('base64')}`],
    ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['a comma list', `Basic ${Buffer.from('a:b').toString('base64')}, Basic ${Buffer.from('c:d').toString('base64')}`],
  ])('refuses %s with a 401', (_name, header) => {
    expect(parseOrRefusal(header)).toBe('refused');
  });

  it('property: any user without ":" and any password (":" and non-ASCII included) round-trips as Go sends it', () => {
    const user = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((u) => !u.includes(':'));
    const password = fc.string({ unit: 'grapheme', maxLength: 80 });
    fc.assert(
      fc.property(user, password, (u, p) => {
        expect(parseBasicAuthorization(goHeader(u, p))).toEqual({ user: u, password: p });
      }),
      { numRuns: 500 },
    );
  });

  it('fuzz: arbitrary headers and arbitrary decoded bytes either parse or are refused with a 401, never anything else', () => {
    const headers = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ maxLength: 200 }).map((s) => `Basic ${s}`),
      fc.uint8Array({ maxLength: 120 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
      fc.uint8Array({ maxLength: 120 }).map((bytes) => `basic ${Buffer.from(bytes).toString('base64url')}`),
    );
    fc.assert(
      fc.property(headers, (header) => {
        const parsed = parseOrRefusal(header);
        if (parsed !== 'refused' && parsed !== undefined) {
          // Whatever was accepted is exactly what the header encodes.
          expect(goHeader(parsed.user, parsed.password).slice(6)).toBe(header.replace(/^basic +/i, ''));
          expect(parsed.user).not.toContain(':');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
