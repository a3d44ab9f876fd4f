// Every mapping of toOrbitRpcError, by operation and DaError code (every code of DA_ERROR_CODES):
// the substrings Nitro matches must appear exactly where intended and nowhere else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitmentError, decodeFramed } from '../../commitment/index.ts';
import {
  DA_ERROR_CODES,
  IntegrityError,
  InternalError,
  InvalidInputError,
  NotFoundError,
  ProvenInvalidError,
  RetryableDaError,
  UnavailableError,
  type DaError,
  type DaErrorCode,
} from '../../core/index.ts';
import { JsonRpcError, invalidParams } from './geth-rpc/json-rpc-error.ts';
import {
  CERTIFICATE_VALIDATION_FAILED,
  FALLBACK_REQUESTED,
  InvalidCertificateError,
  MESSAGE_TOO_LARGE,
  proofsNotSupported,
  scrub,
  toOrbitRpcError,
  type OrbitOperation,
} from './wire-errors.ts';
import { oneErrorOfEachCode } from '../../../test/support/da-error-samples.ts';

const SENTINELS = [CERTIFICATE_VALIDATION_FAILED, FALLBACK_REQUESTED, MESSAGE_TOO_LARGE];

// The shared samples, but for the two whose exact text Nitro sees is pinned below.
const errors: Record<DaErrorCode, DaError> = {
  ...oneErrorOfEachCode(),
  INVALID_INPUT: new InvalidInputError('empty message: there is no batch to store'),
  UNAVAILABLE: new UnavailableError('publisher unreachable', { cause: new Error('ECONNREFUSED 127.0.0.1:31415') }),
};

/** The sentinel each (operation, code) must produce, or undefined for a plain error. */
const expected: Record<OrbitOperation, Partial<Record<DaErrorCode, string>>> = {
  store: { UNAVAILABLE: FALLBACK_REQUESTED, TIMEOUT: FALLBACK_REQUESTED, BACKPRESSURE: FALLBACK_REQUESTED, TOO_LARGE: MESSAGE_TOO_LARGE },
  read: { PROVEN_INVALID: CERTIFICATE_VALIDATION_FAILED },
  proof: {},
  info: {},
};

describe('toOrbitRpcError', () => {
  for (const operation of ['store', 'read', 'proof', 'info'] as const) {
    for (const code of DA_ERROR_CODES) {
      const error = errors[code];
      const sentinel = expected[operation][code];
      it(`${operation} / ${code} → ${sentinel ?? 'a plain error'}`, () => {
        const mapped = toOrbitRpcError(error, operation);
        expect(mapped.rpcCode).toBe(-32000);
        expect(mapped.code).toBe(code);
        expect(mapped.message).toContain(error.shortMessage);
        for (const s of SENTINELS) expect(mapped.message.includes(s), s).toBe(s === sentinel);
        if (sentinel) expect(mapped.message.startsWith(`${sentinel}: `)).toBe(true);
      });
    }
  }

  it('pins the exact texts Nitro sees', () => {
    expect(toOrbitRpcError(errors.UNAVAILABLE, 'store').message).toBe(
      'DA provider requests fallback to next writer: publisher unreachable: ECONNREFUSED 127.0.0.1:31415',
    );
    expect(toOrbitRpcError(errors.TOO_LARGE, 'store').message).toBe('message too large for current DA backend: data of 11 bytes exceeds the limit of 10 bytes');
    expect(toOrbitRpcError(errors.NOT_FOUND, 'read').message).toBe(
      'walrus-da could not read the batch (NOT_FOUND); the node should retry: no frame with keccak 0xab is known',
    );
    expect(toOrbitRpcError(errors.INVALID_INPUT, 'store').message).toBe('empty message: there is no batch to store');
  });

  it('says "certificate validation failed: <reason>" only for the read methods’ own certificate decoding', () => {
    let decodeError: unknown;
    try {
      decodeFramed(Uint8Array.of(0x01, 0x58, 0x00), 'orbit', { daByte: 0x57 });
    } catch (error) {
      decodeError = error;
    }
    expect(decodeError).toBeInstanceOf(CommitmentError);
    const rejected = new InvalidCertificateError((decodeError as Error).message, { cause: decodeError });
    for (const operation of ['read', 'store', 'proof', 'info'] as const) {
      const mapped = toOrbitRpcError(rejected, operation);
      expect(mapped.message).toBe("certificate validation failed: foreign Orbit DA certificate: DA byte 0x58 is not this server's 0x57");
      expect(mapped.code).toBe('INVALID_COMMITMENT');
    }
    // The same codec error raised anywhere else (an adapter decoding what an aggregator sent)
    // proves nothing about the certificate: the node must retry.
    const elsewhere = toOrbitRpcError(decodeError, 'read');
    expect(elsewhere.message).toBe("walrus-da could not read the batch (INVALID_COMMITMENT); the node should retry: foreign Orbit DA certificate: DA byte 0x58 is not this server's 0x57");
  });

  it.each([
    ['no-patch', true],
    ['other-patch', true],
    ['object', false],
    ['wrong-data', false],
  ] as const)('empties the batch for a %s proof only if L1 could decide it (%s)', (ground, empties) => {
    const error = new ProvenInvalidError(ground, `proof on ground ${ground}`);
    const read = toOrbitRpcError(error, 'read').message;
    expect(read).toBe(
      empties
        ? `certificate validation failed: proof on ground ${ground}`
        : `walrus-da could not read the batch (PROVEN_INVALID); the node should retry: proof on ground ${ground}`,
    );
    for (const operation of ['store', 'proof', 'info'] as const) expect(toOrbitRpcError(error, operation).message).toBe(`proof on ground ${ground}`);
    expect(error.retryable).toBe(false);
  });

  it('never lets quoted text in a proof trigger another sentinel', () => {
    const message = toOrbitRpcError(new ProvenInvalidError('no-patch', `node said ${FALLBACK_REQUESTED}`), 'read').message;
    expect(message.startsWith(`${CERTIFICATE_VALIDATION_FAILED}: `)).toBe(true);
    expect(message).not.toContain(FALLBACK_REQUESTED);
  });

  it('passes ready JsonRpcErrors through and treats unknown throwables as internal plain errors', () => {
    const params = invalidParams('non-array args');
    expect(toOrbitRpcError(params, 'store')).toBe(params);
    const mapped = toOrbitRpcError(new TypeError('x is undefined'), 'read');
    expect(mapped.code).toBe('INTERNAL');
    // The original text goes to the server log (toDaError), never to the node.
    expect(mapped.message).toBe('walrus-da could not read the batch (INTERNAL); the node should retry: internal error (details in the server log)');
    expect(toOrbitRpcError('a string', 'store').message).toBe('internal error (details in the server log)');
  });

  it('keeps InvalidCertificateError final: not retryable, not a RetryableDaError', () => {
    const error = new InvalidCertificateError('unknown body version');
    expect(error.retryable).toBe(false);
    expect(error).not.toBeInstanceOf(RetryableDaError);
  });

  it('never lets quoted dependency text trigger a Nitro sentinel', () => {
    const hostile = `upstream said: ${SENTINELS.join(' / ')}`;
    for (const operation of ['store', 'read', 'proof', 'info'] as const) {
      for (const make of [(m: string) => new InternalError(m), (m: string) => new NotFoundError(m), (m: string) => new InvalidInputError(m), (m: string) => new IntegrityError(m)]) {
        const message = toOrbitRpcError(make(hostile), operation).message;
        for (const s of SENTINELS) expect(message).not.toContain(s);
      }
    }
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom(...SENTINELS))), (parts) => {
        const text = scrub(parts.join(''));
        for (const s of SENTINELS) expect(text).not.toContain(s);
      }),
    );
  });

  it('names the missing validator for both proof methods', () => {
    for (const method of ['generateReadPreimageProof', 'generateCertificateValidityProof']) {
      const error = proofsNotSupported(method);
      expect(error).toBeInstanceOf(JsonRpcError);
      expect(error.message).toContain(`${method} is not supported`);
      expect(error.message).toContain('ICustomDAProofValidator');
      expect(error.message).toContain('BoLD');
      for (const s of SENTINELS) expect(error.message).not.toContain(s);
    }
  });
});
