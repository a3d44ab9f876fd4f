// Which chain an OP Stack request acts for (docs/wire/opstack.md "Chains"). The door's wire
// credentials are the chain in the path (/chains/<name>/…) and HTTP Basic (basic-auth.ts); the
// ChainDirectory decides, so every door answers alike: unknown chain → InvalidInputError (400),
// missing or wrong credentials → UnauthenticatedError (401). Never 404, which op-node reads as
// "this data does not exist".
//
//   no chains file   the path may not name a chain (400); credentials are not even read: exactly
//                    the door as it was before chains
//   /chains/<name>/  the Basic user must be <name> (else 401) and the password its secret
//   root routes      the Basic user selects the chain
//   open reads       (no --chains-auth-reads) never fail on credentials; they are attributed, for
//                    metrics only, to the chain in the path, else to a Basic user that names a chain
import { DEFAULT_CHAIN, InvalidInputError, UnauthenticatedError, type ChainAccess, type ChainDirectory } from '../../core/index.ts';
import { parseBasicAuthorization, type BasicCredentials } from './basic-auth.ts';

export interface ChainRequest {
  /** The <name> of /chains/<name>/…, undefined on root routes. */
  readonly pathChain: string | undefined;
  /** The raw Authorization header, if any. */
  readonly authorization: string | undefined;
}

/** What `/chains/…` gets on a deployment without a chains file (from the routes and the 404 handler). */
export const NO_CHAINS_MESSAGE = 'this deployment serves no chains: use /put and /get/0x… at the root';

/**
 * The authenticated chain of a request: a chain of the chains file, or DEFAULT_CHAIN.
 * @throws InvalidInputError for an unknown chain, UnauthenticatedError for missing or wrong credentials
 */
export function requestChain(chains: ChainDirectory, access: ChainAccess, request: ChainRequest): string {
  const { pathChain } = request;
  if (!chains.enabled) {
    if (pathChain !== undefined) throw new InvalidInputError(NO_CHAINS_MESSAGE);
    return DEFAULT_CHAIN;
  }
  // Before credentials: a typo in the URL is a 400 however the credentials look.
  if (pathChain !== undefined && !chains.has(pathChain)) throw new InvalidInputError(`unknown chain ${JSON.stringify(pathChain)}`);
  if (!chains.requiresCredentials(access)) {
    const user = basicUserQuietly(request.authorization);
    const named = pathChain ?? (user !== undefined && chains.has(user) ? user : undefined);
    return chains.authenticate(access, { chain: named });
  }
  const credentials = parseBasicAuthorization(request.authorization);
  if (pathChain !== undefined && credentials !== undefined && credentials.user !== pathChain) {
    throw new UnauthenticatedError(`the Basic user name must be the chain in the path, ${pathChain}`);
  }
  // An empty user (Go's http://:secret@host) names no chain; authenticate then asks for one.
  const chain = pathChain ?? (credentials?.user === '' ? undefined : credentials?.user);
  return chains.authenticate(access, { chain, secret: credentials?.password });
}

/** The Basic user of a request whose credentials nobody checks; a malformed header is ignored. */
function basicUserQuietly(authorization: string | undefined): string | undefined {
  let credentials: BasicCredentials | undefined;
  try {
    credentials = parseBasicAuthorization(authorization);
  } catch {
    return undefined;
  }
  return credentials?.user;
}
