// The authenticated publisher of `walrus publisher --jwt-decode-secret … --jwt-verify-upload`
// (walrus:crates/walrus-service/src/client/daemon/auth.rs, pinned in docs/wire/walrus.md
// "Authenticated publisher"), so walrus-da's publisher credentials are tested against the checks a
// mainnet operator's publisher makes:
//
//   Authorization: Bearer <JWT, HS256>      missing header            400 (axum's header rejection)
//   signature, algorithm                    INVALID_SIGNATURE         401 UNAUTHENTICATED
//   exp in the past                         EXPIRED_SIGNATURE         504 DEADLINE_EXCEEDED
//   malformed token or claims               INVALID_TOKEN             400 FAILED_PRECONDITION
//   jti seen before (until its exp)         TOKEN_ALREADY_USED        429 RESOURCE_EXHAUSTED
//   epochs ≠ query, or > max_epochs         INVALID_EPOCHS            400
//   body > max_size, or ≠ size              INVALID_SIZE              400
//   send_object_to ≠ query (or absent)      INVALID_SEND_OBJECT_TO    400
//   epochs with max_epochs, size with max_size  INCONSISTENT_TOKEN    400
//
// As upstream, the jti is remembered before the claims are checked and forgotten if they fail.
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ApiError, type ApiStatus } from '../http/api-status.ts';

export const PUBLISHER_AUTH_DOMAIN = 'auth.publisher.walrus.space';

/** Upstream's `--jwt-cache-size` default: beyond it, stores are refused rather than the cache grown. */
const MAX_REMEMBERED_TOKENS = 10_000;

export interface UploadRequest {
  readonly epochs: number;
  readonly size: number;
  readonly sendObjectTo: string | undefined;
}

export class PublisherAuth {
  readonly #key: Uint8Array;
  /** jti → exp (seconds): replay suppression until the token could not be used anyway. */
  readonly #used = new Map<string, number>();

  constructor(key: Uint8Array) {
    if (key.length === 0) throw new RangeError('the publisher JWT secret is empty');
    this.#key = key;
  }

  async check(authorization: string | undefined, upload: UploadRequest): Promise<void> {
    const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) throw new ApiError('INVALID_ARGUMENT', 'MISSING_AUTHORIZATION', 'Header of type `authorization` was missing');
    const claims = await this.#verify(match[1] ?? '');
    const jti = claims.jti;
    const exp = claims.exp;
    if (typeof jti !== 'string' || typeof exp !== 'number') throw refuse('FAILED_PRECONDITION', 'INVALID_TOKEN', 'the JWT token is invalid: exp and jti are required');
    this.#remember(jti, exp);
    try {
      checkUpload(claims, upload);
    } catch (error) {
      this.#used.delete(jti);
      throw error;
    }
  }

  async #verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.#key, { algorithms: ['HS256'], requiredClaims: ['exp', 'jti'] });
      return payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw refuse('DEADLINE_EXCEEDED', 'EXPIRED_SIGNATURE', 'the signature on the token has expired');
      if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JWTClaimValidationFailed) {
        if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim !== 'nbf' && error.claim !== 'iat') {
          throw refuse('FAILED_PRECONDITION', 'INVALID_TOKEN', `the JWT token is invalid: ${error.message}`);
        }
        throw refuse('UNAUTHENTICATED', 'INVALID_SIGNATURE', 'the signature on the token is invalid');
      }
      throw refuse('FAILED_PRECONDITION', 'INVALID_TOKEN', 'the JWT token is invalid');
    }
  }

  #remember(jti: string, exp: number): void {
    const now = Date.now() / 1000;
    if (this.#used.size >= MAX_REMEMBERED_TOKENS) {
      for (const [id, expires] of this.#used) if (expires < now) this.#used.delete(id);
    }
    if (this.#used.has(jti)) throw refuse('RESOURCE_EXHAUSTED', 'TOKEN_ALREADY_USED', 'the JWT token was already used');
    if (this.#used.size >= MAX_REMEMBERED_TOKENS) throw refuse('RESOURCE_EXHAUSTED', 'TOKEN_CACHE_FULL', 'too many unexpired tokens; try again later');
    this.#used.set(jti, exp);
  }
}

function checkUpload(claims: JWTPayload, upload: UploadRequest): void {
  const epochs = optionalInteger(claims, 'epochs');
  const maxEpochs = optionalInteger(claims, 'max_epochs');
  const size = optionalInteger(claims, 'size');
  const maxSize = optionalInteger(claims, 'max_size');
  if ((epochs !== undefined && maxEpochs !== undefined) || (size !== undefined && maxSize !== undefined)) {
    throw refuse('FAILED_PRECONDITION', 'INCONSISTENT_TOKEN', 'the token is inconsistent');
  }
  if (maxSize !== undefined && upload.size > maxSize) throw invalidSize();
  if (size !== undefined && upload.size !== size) throw invalidSize();
  if ((epochs !== undefined && upload.epochs !== epochs) || (maxEpochs !== undefined && upload.epochs > maxEpochs)) {
    throw refuse('FAILED_PRECONDITION', 'INVALID_EPOCHS', 'the epochs field in the query does not match the token');
  }
  const sendTo = claims.send_object_to;
  if (sendTo !== undefined && (typeof sendTo !== 'string' || upload.sendObjectTo === undefined || normalizeAddress(sendTo) !== normalizeAddress(upload.sendObjectTo))) {
    throw refuse('FAILED_PRECONDITION', 'INVALID_SEND_OBJECT_TO', 'the send_object_to field in the query does not match the token, or is missing');
  }
}

function optionalInteger(claims: JWTPayload, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw refuse('FAILED_PRECONDITION', 'INVALID_TOKEN', `the JWT token is invalid: ${name} is not an unsigned integer`);
  return value;
}

function invalidSize(): ApiError {
  return refuse('FAILED_PRECONDITION', 'INVALID_SIZE', 'the size of the request does not match the size specified in the token');
}

function normalizeAddress(address: string): string {
  return `0x${address.replace(/^0x/i, '').toLowerCase().padStart(64, '0')}`;
}

function refuse(status: ApiStatus, reason: string, message: string): ApiError {
  return new ApiError(status, reason, message, { domain: PUBLISHER_AUTH_DOMAIN });
}
