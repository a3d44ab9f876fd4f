import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { publisherAuthorization, publisherJwtKey } from './publisher-auth.ts';
import { publisherAuthRefusal } from './publisher-responses.ts';

describe('publisherJwtKey', () => {
  it('reads 0x-text as hex and anything else as its UTF-8 bytes, as walrus does', () => {
    expect(publisherJwtKey('0x00ff10\n')).toEqual(Uint8Array.of(0x00, 0xff, 0x10));
    expect(publisherJwtKey('  my_secret \n')).toEqual(new TextEncoder().encode('my_secret'));
    expect(publisherJwtKey('00ff')).toEqual(new TextEncoder().encode('00ff'));
    expect(() => publisherJwtKey('0xabc')).toThrow(/even number of hex digits/);
    expect(() => publisherJwtKey('\n')).toThrow(/empty/);
  });
});

describe('publisherAuthorization', () => {
  it('signs an HS256 JWT for exactly this store, with a new jti each time', async () => {
    const key = publisherJwtKey('0x' + '11'.repeat(32));
    const credentials = { kind: 'jwt-secret', key, ttlSeconds: 321 } as const;
    const first = await publisherAuthorization(credentials, { epochs: 7, size: 1234 });
    const second = await publisherAuthorization(credentials, { epochs: 7, size: 1234 });
    const token = first.replace(/^Bearer /, '');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ epochs: 7, max_size: 1234 });
    expect(payload.exp! - payload.iat!).toBe(321);
    expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
    expect(decodeJwt(second.replace(/^Bearer /, '')).jti).not.toBe(payload.jti);
  });

  it('sends a given token unchanged', async () => {
    expect(await publisherAuthorization({ kind: 'token', token: 'a.b.c' }, { epochs: 1, size: 1 })).toBe('Bearer a.b.c');
  });
});

describe('publisherAuthRefusal', () => {
  const envelope = (code: number, reason: string, domain = 'auth.publisher.walrus.space') => JSON.stringify({ error: { code, status: 'X', message: 'm', details: [{ '@type': 'ErrorInfo', reason, domain }] } });
  it('recognises every refusal of credentials and nothing else', () => {
    expect(publisherAuthRefusal(401, envelope(401, 'INVALID_SIGNATURE'))).toBe('INVALID_SIGNATURE');
    expect(publisherAuthRefusal(401, 'Unauthorized')).toBe('UNAUTHORIZED');
    expect(publisherAuthRefusal(403, '')).toBe('FORBIDDEN');
    expect(publisherAuthRefusal(429, envelope(429, 'TOKEN_ALREADY_USED'))).toBe('TOKEN_ALREADY_USED');
    expect(publisherAuthRefusal(504, envelope(504, 'EXPIRED_SIGNATURE'))).toBe('EXPIRED_SIGNATURE');
    expect(publisherAuthRefusal(400, 'Header of type `authorization` was missing')).toBe('MISSING_AUTHORIZATION');
    expect(publisherAuthRefusal(400, envelope(400, 'MALFORMED_REQUEST', 'daemon.walrus.space'))).toBeUndefined();
    expect(publisherAuthRefusal(429, 'too many requests')).toBeUndefined();
    expect(publisherAuthRefusal(200, envelope(401, 'INVALID_SIGNATURE'))).toBeUndefined();
  });
});
