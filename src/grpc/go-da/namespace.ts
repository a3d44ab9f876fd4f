// go-da namespaces as walrus-da uses them (docs/wire/grpc.md "go-da"): a namespace has its own
// go-da heights, and under a chains file it selects the chain a call acts for (the chain's
// `goDaNamespace`), proved with the same `authorization: Bearer <secret>` as walrusda.v1.
import type { Metadata } from '@grpc/grpc-js';
import { bytesToBareHex } from '../../bytes/index.ts';
import { DEFAULT_CHAIN, InvalidInputError, type ChainAccess, type ChainDirectory } from '../../core/index.ts';
import { authenticateBearer, open, type Authenticate, type Authenticators } from '../chain-auth.ts';
import type { Namespace } from '../gen/da/da_pb.ts';

/**
 * Longest namespace accepted, in bytes. go-da's namespaces are short (Celestia's are 29 bytes);
 * the bound keeps a client from making Redis keys of any size, since a namespace names its heights.
 */
export const MAX_NAMESPACE_BYTES = 128;

/** A request that carries a namespace (every go-da request but MaxBlobSize's). */
export interface NamespacedRequest {
  readonly namespace?: Namespace | undefined;
}

/** A namespace as lowercase hex without 0x (empty for the empty namespace); INVALID_ARGUMENT when too long. */
export function namespaceHex(namespace: Namespace | undefined): string {
  const bytes = namespace?.value ?? new Uint8Array();
  if (bytes.length > MAX_NAMESPACE_BYTES) {
    throw new InvalidInputError(`namespace of ${bytes.length} bytes: walrus-da accepts at most ${MAX_NAMESPACE_BYTES}`);
  }
  return bytesToBareHex(bytes);
}

/** go-da: the request's namespace selects the chain; the bearer secret proves it. */
export function namespaceAuthenticators(chains: ChainDirectory): Authenticators<NamespacedRequest> {
  const byNamespace = (access: ChainAccess): Authenticate<NamespacedRequest> => (metadata: Metadata, request: NamespacedRequest) => {
    if (!chains.enabled) return DEFAULT_CHAIN;
    const namespace = namespaceHex(request.namespace);
    const chain = chains.chainOfNamespace(namespace);
    if (chain === undefined) throw new InvalidInputError(`namespace 0x${namespace} selects no chain of this deployment`);
    return authenticateBearer(chains, access, metadata, chain);
  };
  return { write: byNamespace('write'), read: byNamespace('read'), open };
}
