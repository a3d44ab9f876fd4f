// Chain credentials as they arrive in gRPC metadata (docs/wire/grpc.md "Chains"): untrusted text,
// parsed here and nowhere else.
//
//   authorization: Bearer <secret>     the chain's secret from the chains file
//   x-walrus-da-chain: <name>          which chain a walrusda.v1 call acts for (go-da calls name
//                                      their chain by namespace instead)
//
// Errors never quote what the client sent: a malformed authorization value may still be a secret
// (pasted into the wrong header, or with a typo), and error messages reach logs.
import type { Metadata, MetadataValue } from '@grpc/grpc-js';
import { InvalidInputError, UnauthenticatedError } from '../core/index.ts';

export const AUTHORIZATION_METADATA = 'authorization';
export const CHAIN_METADATA = 'x-walrus-da-chain';

/** A chain name as the chains file allows it (src/config/chains-file.ts): nothing to escape anywhere. */
const CHAIN_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * `Bearer`, case-insensitively (RFC 9110 auth schemes are), one or more spaces, then the secret:
 * visible ASCII with inner spaces allowed, which is all an ASCII gRPC metadata value can carry.
 */
const BEARER = /^bearer +([\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)$/i;

/** Every message `bearerSecret` can throw with; none of them depends on the input. */
export const CREDENTIAL_ERRORS = {
  repeated: 'more than one authorization value: send exactly one "authorization: Bearer <secret>"',
  malformed: 'malformed authorization: expected "Bearer <secret>" with a secret of visible ASCII characters',
} as const;

/** Every message `chainName` can throw with; none of them depends on the input. */
export const CHAIN_NAME_ERRORS = {
  repeated: `more than one ${CHAIN_METADATA} value: name exactly one chain`,
  malformed: `malformed ${CHAIN_METADATA}: a chain name is 1-63 lowercase letters, digits and inner dashes`,
} as const;

/** The bearer secret of a call; undefined when it sent none. Throws UnauthenticatedError when malformed. */
export function bearerSecret(values: readonly MetadataValue[]): string | undefined {
  const value = single(values, () => new UnauthenticatedError(CREDENTIAL_ERRORS.repeated));
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? BEARER.exec(value) : null;
  if (!match?.[1]) throw new UnauthenticatedError(CREDENTIAL_ERRORS.malformed);
  return match[1];
}

/** The chain a call names; undefined when it names none. Throws InvalidInputError when malformed. */
export function chainName(values: readonly MetadataValue[]): string | undefined {
  const value = single(values, () => new InvalidInputError(CHAIN_NAME_ERRORS.repeated));
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CHAIN_NAME.test(value)) throw new InvalidInputError(CHAIN_NAME_ERRORS.malformed);
  return value;
}

/** `bearerSecret` of a call's metadata. */
export function bearerSecretOf(metadata: Metadata): string | undefined {
  return bearerSecret(metadata.get(AUTHORIZATION_METADATA));
}

/** `chainName` of a call's metadata. */
export function chainNameOf(metadata: Metadata): string | undefined {
  return chainName(metadata.get(CHAIN_METADATA));
}

function single(values: readonly MetadataValue[], repeated: () => Error): MetadataValue | undefined {
  if (values.length > 1) throw repeated();
  return values[0];
}
