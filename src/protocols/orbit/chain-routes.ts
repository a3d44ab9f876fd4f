// Which chain an Orbit request acts for, decided at the HTTP level as go-ethereum decides JWT
// authentication (node/jwt_handler.go: a refusal is an HTTP status and a plain-text reason, never a
// JSON-RPC answer), so a stock Nitro node needs nothing but its URL and JWT secret file
// (docs/wire/orbit.md "Chains"). Nitro's client posts every call to the configured URL as given,
// path included, with a fresh `Authorization: Bearer <HS256 {"iat": now}>`
// (OffchainLabs/nitro@b1cf6db81afbc1f67c898ac9add5d37391ebd87b util/rpcclient/rpcclient.go Start
// → rpc.DialOptions(url, rpc.WithHTTPAuth(node.NewJWTAuth(secret)))).
//
//   /chains/<name>[/]   the chain's JWT (orbitJwtSecret in the chains file)
//     no chains file, unknown chain, any other /chains/… path   400 (never 404)
//     chain without an Orbit JWT secret                          401, says how to give it one
//     a bearer token that fails the chain's check                 401 with geth's reason
//     no bearer token                                             reads pass (unless --chains-auth-reads),
//                                                                 anything else 401 "missing token"
//   any other path      geth serves every path alike; the global --orbit-jwt-secret-file applies
//     no chains file: every call, as before chains existed (the default chain)
//     chains file: reads only (unless --chains-auth-reads); writes 401 naming /chains/<name>
//
// The first half is decided from the path and headers (`routeRequest`), the second from the
// methods the body calls (`admitCalls`), so a body is only read once the path is known to exist.
import { DEFAULT_CHAIN, InvalidInputError, type ChainAccess, type ChainDirectory } from '../../core/index.ts';
import { checkJwt } from './geth-rpc/jwt.ts';

const CHAINS_PREFIX = '/chains';
/** checkJwt's answer when no bearer token was sent at all (go-ethereum's wording). */
const MISSING_TOKEN = 'missing token';

/** A refusal before any method runs, with the DaError code it is counted under. */
export interface RouteRefusal {
  readonly status: 400 | 401;
  readonly text: string;
  readonly code: 'INVALID_INPUT' | 'UNAUTHENTICATED';
}

/** Where a request whose path and headers were accepted goes. */
export type RouteTarget =
  | { readonly kind: 'root' }
  /** `authenticated`: a valid JWT of this chain was sent; false: none was sent (reads may pass). */
  | { readonly kind: 'chain'; readonly chain: string; readonly authenticated: boolean };

export interface RouteContext {
  readonly chains: ChainDirectory;
  /** `--orbit-jwt-secret-file`: guards every path but /chains/…. */
  readonly rootJwtSecret?: Uint8Array | undefined;
  /** Milliseconds since the Unix epoch, for the JWT `iat` window. */
  readonly nowMs: number;
}

/** First half: the path and the Authorization header. */
export async function routeRequest(path: string, authorization: string | undefined, context: RouteContext): Promise<RouteTarget | RouteRefusal> {
  const { chains } = context;
  if (path !== CHAINS_PREFIX && !path.startsWith(`${CHAINS_PREFIX}/`)) {
    if (context.rootJwtSecret !== undefined) {
      const reason = await checkJwt(authorization, context.rootJwtSecret, context.nowMs);
      if (reason !== undefined) return unauthenticated(reason);
    }
    return { kind: 'root' };
  }
  const segments = path.slice(CHAINS_PREFIX.length + 1).split('/');
  const [name = '', ...rest] = segments;
  if (name === '' || rest.length > 1 || (rest.length === 1 && rest[0] !== '')) {
    return invalid(`no such path ${quote(path)} on the Orbit port: a chain's JSON-RPC is served at /chains/<name>`);
  }
  if (!chains.enabled) return invalid(`unknown chain ${quote(name)}: this deployment serves no chains (no --chains-file); use the root path`);
  let secret: Uint8Array | undefined;
  try {
    secret = chains.orbitJwtSecret(name);
  } catch (error) {
    if (error instanceof InvalidInputError) return invalid(error.shortMessage);
    throw error;
  }
  if (secret === undefined) {
    return unauthenticated(`chain ${name} has no Orbit JWT secret: give it orbitJwtSecret or orbitJwtSecretFile in the chains file to serve /chains/${name}`);
  }
  const reason = await checkJwt(authorization, secret, context.nowMs);
  if (reason === undefined) return { kind: 'chain', chain: name, authenticated: true };
  if (reason === MISSING_TOKEN) return { kind: 'chain', chain: name, authenticated: false };
  return unauthenticated(reason);
}

/**
 * Second half: whether calls needing `access` may run on this target, and which chain they act
 * for (a name from the chains file or DEFAULT_CHAIN, never a client's string).
 */
export function admitCalls(target: RouteTarget, access: ChainAccess, chains: ChainDirectory): { readonly chain: string } | RouteRefusal {
  const needsCredentials = chains.requiresCredentials(access);
  if (target.kind === 'chain') {
    if (!target.authenticated && needsCredentials) return unauthenticated(MISSING_TOKEN);
    return { chain: target.chain };
  }
  if (!needsCredentials) return { chain: DEFAULT_CHAIN };
  const what = access === 'write' ? 'writes (daprovider_store and the chunked store)' : 'reads (--chains-auth-reads)';
  return unauthenticated(`${what} need a chain: send them to /chains/<name> on this port with that chain's Orbit JWT (--node.da.external-provider.rpc.url=http://<host>:<port>/chains/<name>)`);
}

/** A body needs write access when it calls any write method, else read access. */
export function accessOf(methods: readonly string[], isWrite: (method: string) => boolean): ChainAccess {
  return methods.some(isWrite) ? 'write' : 'read';
}

export function isRefusal(value: object): value is RouteRefusal {
  return 'status' in value;
}

function invalid(text: string): RouteRefusal {
  return { status: 400, text, code: 'INVALID_INPUT' };
}

function unauthenticated(text: string): RouteRefusal {
  return { status: 401, text, code: 'UNAUTHENTICATED' };
}

/** A client's path segment, quoted and cut short, for error texts and logs. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
