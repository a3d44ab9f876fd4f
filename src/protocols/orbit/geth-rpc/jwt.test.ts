import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtSecretError, checkJwt, parseJwtSecret, readJwtSecretFile } from './jwt.ts';

const secret = new Uint8Array(32).fill(7);
const now = 1_750_000_000_000;
const nowSeconds = now / 1000;

/** A token as go-ethereum's NewJWTAuth makes it: HS256, `{"iat": <seconds>}`. */
function token(claims: Record<string, unknown>, key = secret, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
}

describe('checkJwt (go-ethereum node/jwt_handler.go)', () => {
  it('accepts a fresh token, with the bearer prefix in any case', async () => {
    const t = await token({ iat: nowSeconds });
    expect(await checkJwt(`Bearer ${t}`, secret, now)).toBeUndefined();
    expect(await checkJwt(`bEaReR ${t}`, secret, now)).toBeUndefined();
    expect(await checkJwt(`Bearer ${await token({ iat: nowSeconds - 60 })}`, secret, now)).toBeUndefined();
    expect(await checkJwt(`Bearer ${await token({ iat: nowSeconds + 60, nbf: nowSeconds + 3600 })}`, secret, now)).toBeUndefined();
  });

  it('rejects with geth’s reasons', async () => {
    expect(await checkJwt(undefined, secret, now)).toBe('missing token');
    expect(await checkJwt('Bearer ', secret, now)).toBe('missing token');
    expect(await checkJwt('Basic abc', secret, now)).toBe('missing token');
    expect(await checkJwt(`Bearer ${await token({ iat: nowSeconds - 61 })}`, secret, now)).toBe('stale token');
    expect(await checkJwt(`Bearer ${await token({ iat: nowSeconds + 61 })}`, secret, now)).toBe('future token');
    expect(await checkJwt(`Bearer ${await token({})}`, secret, now)).toBe('missing issued-at');
    expect(await checkJwt(`Bearer ${await token({ iat: nowSeconds, exp: nowSeconds })}`, secret, now)).toBe('token is expired');
    expect(await checkJwt(`Bearer ${await token({ iat: nowSeconds }, new Uint8Array(32).fill(8))}`, secret, now)).toBe('signature is invalid');
    expect(await checkJwt(`Bearer ${await token({ iat: nowSeconds }, secret, 'HS512')}`, secret, now)).toBe('signing method HS512 is invalid');
    expect(await checkJwt('Bearer a.b', secret, now)).toBe('token contains an invalid number of segments');
    expect(await checkJwt(`Bearer ${await token({ iat: String(nowSeconds) })}`, secret, now)).toMatch(/^token is malformed/);
  });
});

describe('parseJwtSecret', () => {
  const hex = 'a1'.repeat(32);

  it('accepts 64 hex digits with optional 0x and surrounding whitespace', () => {
    for (const text of [hex, `0x${hex}`, `0X${hex.toUpperCase()}`, `\n  ${hex}\r\n`]) {
      expect(parseJwtSecret(text)).toEqual(new Uint8Array(32).fill(0xa1));
    }
  });

  it('says precisely what is wrong', () => {
    expect(() => parseJwtSecret('  \n')).toThrow('JWT secret is empty: expected 32 bytes as 64 hex digits, 0x optional');
    expect(() => parseJwtSecret('0x')).toThrow('JWT secret is empty');
    expect(() => parseJwtSecret(`0x${hex.slice(2)}zz`)).toThrow('JWT secret is not hex: character "z" at position 64');
    expect(() => parseJwtSecret(hex.slice(2))).toThrow('JWT secret has 62 hex digits (31 bytes)');
    expect(() => parseJwtSecret(`${hex}00`)).toThrow('JWT secret has 66 hex digits (33 bytes)');
  });

  it('returns 32 bytes or throws JwtSecretError, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\s*(0x)?[0-9a-fA-F]{60,68}\s*$/)), (text) => {
        try {
          expect(parseJwtSecret(text)).toHaveLength(32);
        } catch (error) {
          expect(error).toBeInstanceOf(JwtSecretError);
        }
      }),
    );
  });
});

describe('readJwtSecretFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walrus-da-jwt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file as Nitro writes it and names the file in errors', async () => {
    const good = join(dir, 'jwt.hex');
    await writeFile(good, `0x${'0f'.repeat(32)}\n`);
    expect(await readJwtSecretFile(good)).toEqual(new Uint8Array(32).fill(0x0f));
    const short = join(dir, 'short.hex');
    await writeFile(short, 'abcd');
    await expect(readJwtSecretFile(short)).rejects.toThrow(`JWT secret file ${short} has 4 hex digits (2 bytes)`);
    await expect(readJwtSecretFile(join(dir, 'missing.hex'))).rejects.toThrow(/^cannot read JWT secret file .*missing\.hex: ENOENT/);
  });
});
