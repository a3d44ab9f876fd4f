// Credentials for Walrus's authenticated publisher (docs/wire/walrus.md "Authenticated publisher";
// walrus:crates/walrus-service/src/client/daemon/auth.rs). A store carries
// `Authorization: Bearer <JWT>`; the publisher checks the signature (HS256 by default), `exp`,
// that the `jti` was never used before, and, with --jwt-verify-upload, that `epochs` equals the
// query's and the body is at most `max_size` bytes.
//
// Either we hold the publisher's secret and sign a fresh token for every store (a token is
// single-use: its jti is remembered until it expires), or an operator gave us one token.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { hexToBytes } from '../bytes/index.ts';

export type PublisherCredentials =
  /** The publisher's `--jwt-decode-secret`, as bytes: we sign one token per store. */
  | { readonly kind: 'jwt-secret'; readonly key: Uint8Array; readonly ttlSeconds: number }
  /** A token issued to us; sent as is. */
  | { readonly kind: 'token'; readonly token: string };

/** What a token is signed for: exactly this store. */
export interface StoreGrant {
  readonly epochs: number;
  readonly size: number;
}

/**
 * The key bytes of a publisher secret as Walrus reads `--jwt-decode-secret`
 * (walrus:crates/walrus-service/src/client/config.rs `secret_to_bytes`): `0x`-prefixed text is
 * hex, anything else is used as its UTF-8 bytes. Surrounding whitespace (a file's trailing
 * newline) is not part of the secret.
 */
export function publisherJwtKey(text: string): Uint8Array {
  const secret = text.trim();
  if (secret.length === 0) throw new RangeError('the publisher JWT secret is empty');
  if (secret.startsWith('0x')) {
    if (!/^0x(?:[0-9a-fA-F]{2})+$/.test(secret)) throw new RangeError('a 0x-prefixed publisher JWT secret must be an even number of hex digits');
    return hexToBytes(secret);
  }
  return new TextEncoder().encode(secret);
}

/** The Authorization header value for one store; a fresh token (new jti) on every call. */
export async function publisherAuthorization(credentials: PublisherCredentials, grant: StoreGrant): Promise<string> {
  if (credentials.kind === 'token') return `Bearer ${credentials.token}`;
  const now = Math.floor(Date.now() / 1000);
  // 128 random bits: the publisher refuses a jti it has seen, across all its clients.
  const token = await new SignJWT({ epochs: grant.epochs, max_size: grant.size })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setJti(randomBytes(16).toString('hex'))
    .setIssuedAt(now)
    // exp − iat is exactly the TTL: a publisher run with --jwt-expiring-sec requires that equality.
    .setExpirationTime(now + credentials.ttlSeconds)
    .sign(credentials.key);
  return `Bearer ${token}`;
}
