// Which chain a gRPC call acts for (docs/wire/grpc.md "Chains"). Every handler is registered with
// one `Authenticate` function (./call.ts runs it before the handler, so a refused call does no
// work and its metrics carry the chain label `unknown`). The decisions themselves are the
// ChainDirectory's (src/core/chains.ts), the same on every door:
//   no chains file                  → DEFAULT_CHAIN, metadata not even read (stock clients)
//   open calls (GetConfig, …)       → DEFAULT_CHAIN: deployment facts, no chain data
//   unknown or malformed chain      → INVALID_ARGUMENT
//   missing or wrong bearer secret  → UNAUTHENTICATED (writes; reads with --chains-auth-reads)
import type { Metadata } from '@grpc/grpc-js';
import { DEFAULT_CHAIN, type ChainAccess, type ChainDirectory } from '../core/index.ts';
import { bearerSecretOf, chainNameOf } from './chain-metadata.ts';

/** What a call does: stores (`write`), reads chain data (`read`), or neither (`open`). */
export type Access = ChainAccess | 'open';

/** Returns the authenticated chain of a call, or throws a DaError (UNAUTHENTICATED, INVALID_INPUT). */
export type Authenticate<Req> = (metadata: Metadata, request: Req) => string;

/** One authenticator per access kind, for a service's handler table; open calls need no request. */
export interface Authenticators<Req> {
  readonly write: Authenticate<Req>;
  readonly read: Authenticate<Req>;
  readonly open: Authenticate<unknown>;
}

/** Calls that need no chain (GetConfig, MaxBlobSize, Commit): always the default chain. */
export const open = (): string => DEFAULT_CHAIN;

/**
 * The chain a gRPC call acts for, proved by `authorization: Bearer`. The secret is parsed only
 * when it is needed: an open read never fails on its credentials.
 */
export function authenticateBearer(chains: ChainDirectory, access: ChainAccess, metadata: Metadata, chain: string | undefined): string {
  const secret = chains.requiresCredentials(access) ? bearerSecretOf(metadata) : undefined;
  return chains.authenticate(access, { chain, secret });
}

/** walrusda.v1: the chain is named by `x-walrus-da-chain` and proved by `authorization: Bearer`. */
export function metadataAuthenticators(chains: ChainDirectory): Authenticators<unknown> {
  const byMetadata = (access: ChainAccess): Authenticate<unknown> => (metadata) => {
    if (!chains.enabled) return DEFAULT_CHAIN;
    return authenticateBearer(chains, access, metadata, chainNameOf(metadata));
  };
  return { write: byMetadata('write'), read: byMetadata('read'), open };
}
