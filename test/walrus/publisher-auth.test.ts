// Authenticated publishing end to end: walrus-local's publisher requires a JWT as
// `walrus publisher --jwt-decode-secret … --jwt-verify-upload` does (docs/wire/walrus.md
// "Authenticated publisher"), and PublisherBlobStore either signs one per store or sends the token
// it was given. Wrong or missing credentials become a non-retryable UnauthenticatedError naming the
// setting to fix; the publisher's own refusals are checked over raw HTTP.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../src/core/index.ts';
import { EncoderPool } from '../../src/walrus/codec/index.ts';
import { publisherJwtKey } from '../../src/walrus/publisher-auth.ts';
import { PublisherBlobStore } from '../../src/walrus/publisher-blob-store.ts';
import type { PublisherCredentials } from '../../src/walrus/publisher-auth.ts';
import { TEST_SHARDS, startTestWalrusLocal, type WalrusLocalHarness } from '../support/walrus-local.ts';

// Walrus reads a 0x-prefixed secret as hex: these are 32 bytes, not 66 characters.
const SECRET_TEXT = `0x${'5a'.repeat(32)}`;
const KEY = publisherJwtKey(SECRET_TEXT);
let harness: WalrusLocalHarness;
let encoder: EncoderPool;

beforeAll(async () => {
  encoder = new EncoderPool({ threads: 1 });
  harness = await startTestWalrusLocal({ encoder, publisherJwtSecret: KEY });
});

afterAll(async () => {
  await harness?.close();
  await encoder?.close();
});

function blobStore(credentials?: PublisherCredentials): PublisherBlobStore {
  return new PublisherBlobStore({
    publisherUrl: harness.local.publisherUrl,
    aggregatorUrls: [harness.local.aggregatorUrl],
    nShards: TEST_SHARDS,
    storeTimeoutMs: 30_000,
    ...(credentials ? { credentials } : {}),
  });
}

const blob = () => randomBytes(2048);

async function token(claims: Record<string, unknown>, options: { key?: Uint8Array; expiresIn?: number; jti?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setJti(options.jti ?? randomBytes(8).toString('hex'))
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 60))
    .sign(options.key ?? KEY);
}

async function put(data: Uint8Array, authorization: string | undefined, query = 'epochs=2&permanent=true'): Promise<{ status: number; reason: string | undefined }> {
  const response = await fetch(`${harness.local.publisherUrl}/v1/blobs?${query}`, { method: 'PUT', body: data, headers: authorization ? { authorization } : {} });
  const body = (await response.json()) as { error?: { details?: { reason?: string }[] } };
  return { status: response.status, reason: body.error?.details?.[0]?.reason };
}

describe('authenticated publisher', () => {
  it('stores with a fresh JWT per store signed with the right secret', async () => {
    const store = blobStore({ kind: 'jwt-secret', key: publisherJwtKey(`${SECRET_TEXT}\n`), ttlSeconds: 600 });
    const first = await store.store(blob(), { epochs: 2 });
    expect(first.alreadyCertified).toBe(false);
    // A second store signs a new jti, so the replay cache does not refuse it.
    const second = await store.store(blob(), { epochs: 2 });
    expect(second.alreadyCertified).toBe(false);
  });

  it('maps a wrong secret to a non-retryable UnauthenticatedError naming the flag', async () => {
    const store = blobStore({ kind: 'jwt-secret', key: publisherJwtKey('0x' + '00'.repeat(32)), ttlSeconds: 600 });
    const error = await store.store(blob(), { epochs: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as UnauthenticatedError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/\(401 INVALID_SIGNATURE\).*--publisher-jwt-secret-file/);
    // The secret is never quoted.
    expect((error as Error).message).not.toContain('5a5a');
  });

  it('maps a store without credentials to an UnauthenticatedError saying how to give them', async () => {
    const error = await blobStore().store(blob(), { epochs: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toMatch(/MISSING_AUTHORIZATION.*--publisher-jwt-secret-file.*--publisher-token-file/);
  });

  it('sends a given token as is: accepted once, refused as used the second time', async () => {
    const given = await token({ max_epochs: 5 });
    const store = blobStore({ kind: 'token', token: given });
    await expect(store.store(blob(), { epochs: 2 })).resolves.toMatchObject({ alreadyCertified: false });
    const error = await store.store(blob(), { epochs: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toMatch(/429 TOKEN_ALREADY_USED.*already used/);
    expect((error as Error).message).not.toContain(given);
  });

  it('checks the claims against the request as upstream does', async () => {
    const data = blob();
    expect(await put(data, undefined)).toEqual({ status: 400, reason: 'MISSING_AUTHORIZATION' });
    expect(await put(data, `Bearer ${await token({ epochs: 3 })}`)).toEqual({ status: 400, reason: 'INVALID_EPOCHS' });
    expect(await put(data, `Bearer ${await token({ max_epochs: 1 })}`)).toEqual({ status: 400, reason: 'INVALID_EPOCHS' });
    expect(await put(data, `Bearer ${await token({ max_size: data.length - 1 })}`)).toEqual({ status: 400, reason: 'INVALID_SIZE' });
    expect(await put(data, `Bearer ${await token({ size: data.length + 1 })}`)).toEqual({ status: 400, reason: 'INVALID_SIZE' });
    expect(await put(data, `Bearer ${await token({ epochs: 2, max_epochs: 2 })}`)).toEqual({ status: 400, reason: 'INCONSISTENT_TOKEN' });
    expect(await put(data, `Bearer ${await token({ epochs: 2 }, { expiresIn: -120 })}`)).toEqual({ status: 504, reason: 'EXPIRED_SIGNATURE' });
    expect(await put(data, `Bearer ${await token({ epochs: 2 }, { key: new Uint8Array(32) })}`)).toEqual({ status: 401, reason: 'INVALID_SIGNATURE' });
    expect(await put(data, 'Bearer not.a.jwt')).toEqual({ status: 400, reason: 'INVALID_TOKEN' });
    // A refused claim does not burn the jti: the same id works once the claims fit.
    const jti = randomBytes(8).toString('hex');
    expect(await put(data, `Bearer ${await token({ epochs: 9 }, { jti })}`)).toEqual({ status: 400, reason: 'INVALID_EPOCHS' });
    const ok = `Bearer ${await token({ epochs: 2, max_size: data.length }, { jti })}`;
    expect((await put(data, ok)).status).toBe(200);
    expect(await put(data, ok)).toEqual({ status: 429, reason: 'TOKEN_ALREADY_USED' });
  });

  it('reads need no credentials, as on an authenticated publisher', async () => {
    expect((await fetch(`${harness.local.aggregatorUrl}/status`)).status).toBe(200);
  });
});
