// JWT authentication exactly as go-ethereum's node/jwt_handler.go applies it, which is what a
// Nitro node's RPC client satisfies when `…rpc.jwtsecret` is set (go-ethereum node/jwt_auth.go
// NewJWTAuth: HS256 over the 32-byte secret, claims `{"iat": <now>}`, sent as
// `Authorization: Bearer <token>`):
//   - HS256 only; the signature must verify with the shared secret;
//   - `exp`, if present, must be in the future; `nbf` and other claims are ignored;
//   - `iat` is required and must be within 60 s of the server's clock, either way.
// Rejections are HTTP 401 with geth's plain-text reason.
import { readFile } from 'node:fs/promises';
import { compactVerify, errors as joseErrors } from 'jose';

/** go-ethereum node/jwt_handler.go jwtExpiryTimeout. */
export const JWT_IAT_WINDOW_MS = 60_000;
/** Engine-API style secrets are exactly 32 bytes (go-ethereum node/jwt_auth.go). */
export const JWT_SECRET_LENGTH = 32;

/** Thrown when a JWT secret (file) is unusable; the message says exactly why. */
export class JwtSecretError extends Error {
  override readonly name = 'JwtSecretError';
}

/**
 * Checks an `Authorization` header against the secret.
 * @returns undefined if the request may pass, else the text geth answers with 401.
 */
export async function checkJwt(authorization: string | undefined, secret: Uint8Array, nowMs: number): Promise<string | undefined> {
  const token = authorization !== undefined && authorization.length >= 7 && authorization.slice(0, 7).toLowerCase() === 'bearer ' ? authorization.slice(7) : '';
  if (token.length === 0) return 'missing token';
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, secret, { algorithms: ['HS256'] }));
  } catch (error) {
    return rejectionText(error, token);
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return 'token is malformed: claims are not JSON';
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return 'token is malformed: claims are not a JSON object';
  const { exp, iat } = claims as { readonly exp?: unknown; readonly iat?: unknown };
  if (exp !== undefined && exp !== null) {
    if (typeof exp !== 'number') return 'token is malformed: exp is not a number';
    if (!(nowMs < secondsToMs(exp))) return 'token is expired';
  }
  if (iat === undefined || iat === null) return 'missing issued-at';
  if (typeof iat !== 'number') return 'token is malformed: iat is not a number';
  const issuedMs = secondsToMs(iat);
  if (nowMs - issuedMs > JWT_IAT_WINDOW_MS) return 'stale token';
  if (issuedMs - nowMs > JWT_IAT_WINDOW_MS) return 'future token';
  return undefined;
}

/**
 * Parses a Nitro/geth JWT secret: 32 bytes as 64 hex digits, `0x` optional, surrounding
 * whitespace ignored (nitro daprovider/server/provider_server.go fetchJWTSecret,
 * util/signature/simple_hmac.go LoadSigningKey).
 * @throws JwtSecretError naming the problem.
 */
export function parseJwtSecret(text: string, source = 'JWT secret'): Uint8Array {
  const trimmed = text.trim();
  const prefixed = trimmed.startsWith('0x') || trimmed.startsWith('0X');
  const hex = prefixed ? trimmed.slice(2) : trimmed;
  const expected = `expected ${JWT_SECRET_LENGTH} bytes as ${JWT_SECRET_LENGTH * 2} hex digits, 0x optional`;
  if (hex.length === 0) throw new JwtSecretError(`${source} is empty: ${expected}`);
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad >= 0) {
    throw new JwtSecretError(`${source} is not hex: character ${JSON.stringify(hex[bad])} at position ${bad + (prefixed ? 2 : 0)}; ${expected}`);
  }
  if (hex.length !== JWT_SECRET_LENGTH * 2) {
    throw new JwtSecretError(`${source} has ${hex.length} hex digits (${hex.length / 2} bytes): ${expected}`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/**
 * Reads and validates a JWT secret file, the one Nitro's `--…rpc.jwtsecret` points at.
 * @throws JwtSecretError if the file cannot be read or does not hold a valid secret.
 */
export async function readJwtSecretFile(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JwtSecretError(`cannot read JWT secret file ${path}: ${reason}`, { cause: error });
  }
  return parseJwtSecret(text, `JWT secret file ${path}`);
}

/** golang-jwt v4 NumericDate: seconds, truncated to whole seconds (TimePrecision = 1 s). */
function secondsToMs(seconds: number): number {
  return Math.trunc(seconds) * 1000;
}

/** golang-jwt v4's wording for the failures jose reports. */
function rejectionText(error: unknown, token: string): string {
  if (token.split('.').length !== 3) return 'token contains an invalid number of segments';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature is invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `signing method ${headerAlg(token)} is invalid`;
  return `token is malformed: ${error instanceof Error ? error.message : String(error)}`;
}

function headerAlg(token: string): string {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { readonly alg?: unknown };
    return typeof header.alg === 'string' ? header.alg : 'none';
  } catch {
    return 'none';
  }
}
