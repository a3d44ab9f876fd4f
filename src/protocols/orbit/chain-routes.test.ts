import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ChainDirectory, DEFAULT_CHAIN, type ChainAccess } from '../../core/index.ts';
import { accessOf, admitCalls, routeRequest, type RouteContext, type RouteRefusal, type RouteTarget } from './chain-routes.ts';

const NOW_MS = 1_750_000_000_000;
const alphaKey = new Uint8Array(32).fill(1);
const betaKey = new Uint8Array(32).fill(2);
const rootKey = new Uint8Array(32).fill(3);

const entries = [
  { name: 'alpha', secret: 'a', orbitJwtSecret: alphaKey, limits: {} },
  { name: 'beta', secret: 'b', orbitJwtSecret: betaKey, limits: {} },
  { name: 'gamma', secret: 'c', limits: {} },
];
const noChains = new ChainDirectory(undefined);
const chains = new ChainDirectory(entries);
const chainsAuthReads = new ChainDirectory(entries, { authReads: true });

/** go-ethereum node/jwt_auth.go NewJWTAuth: HS256, `{"iat": now}`. */
async function bearer(key: Uint8Array, iatMs = NOW_MS): Promise<string> {
  return `Bearer ${await new SignJWT({ iat: Math.floor(iatMs / 1000) }).setProtectedHeader({ alg: 'HS256' }).sign(key)}`;
}

const none = (): Promise<string | undefined> => Promise.resolve(undefined);
const context = (directory: ChainDirectory, rootJwtSecret?: Uint8Array): RouteContext => ({ chains: directory, rootJwtSecret, nowMs: NOW_MS });

describe('routeRequest: path and Authorization header', () => {
  const cases: [label: string, directory: ChainDirectory, path: string, auth: () => Promise<string | undefined>, expected: RouteTarget | Partial<RouteRefusal>, root?: Uint8Array][] = [
    // No chains file: the root is today's door, /chains/… does not exist.
    ['root, no chains file', noChains, '/', none, { kind: 'root' }],
    ['any other path is the root, as in geth', noChains, '/rpc/v1', none, { kind: 'root' }],
    ['/chains/x without a chains file', noChains, '/chains/alpha', () => bearer(alphaKey), { status: 400, code: 'INVALID_INPUT' }],
    ['/chains without a chains file', noChains, '/chains', none, { status: 400 }],
    ['root JWT still guards the root', noChains, '/', none, { status: 401, text: 'missing token' }, rootKey],
    ['root JWT accepted', noChains, '/', () => bearer(rootKey), { kind: 'root' }, rootKey],
    ['root JWT does not open /chains/…', noChains, '/chains/alpha', () => bearer(rootKey), { status: 400 }, rootKey],
    // Chains file.
    ['chain with its JWT', chains, '/chains/alpha', () => bearer(alphaKey), { kind: 'chain', chain: 'alpha', authenticated: true }],
    ['trailing slash', chains, '/chains/beta/', () => bearer(betaKey), { kind: 'chain', chain: 'beta', authenticated: true }],
    ['bearer prefix in any case', chains, '/chains/alpha', async () => (await bearer(alphaKey)).replace('Bearer', 'bEaReR'), { kind: 'chain', chain: 'alpha', authenticated: true }],
    ['JWT of the other chain', chains, '/chains/alpha', () => bearer(betaKey), { status: 401, text: 'signature is invalid' }],
    ['stale JWT', chains, '/chains/alpha', () => bearer(alphaKey, NOW_MS - 61_000), { status: 401, text: 'stale token' }],
    ['future JWT', chains, '/chains/alpha', () => bearer(alphaKey, NOW_MS + 61_000), { status: 401, text: 'future token' }],
    ['garbage token', chains, '/chains/alpha', () => Promise.resolve('Bearer not.a.token'), { status: 401, code: 'UNAUTHENTICATED' }],
    ['no token: decided per call', chains, '/chains/alpha', none, { kind: 'chain', chain: 'alpha', authenticated: false }],
    ['Basic is no bearer token', chains, '/chains/alpha', () => Promise.resolve('Basic YWxwaGE6YQ=='), { kind: 'chain', chain: 'alpha', authenticated: false }],
    ['unknown chain', chains, '/chains/delta', () => bearer(alphaKey), { status: 400, text: 'unknown chain "delta"', code: 'INVALID_INPUT' }],
    ['chain names are case-sensitive', chains, '/chains/Alpha', () => bearer(alphaKey), { status: 400 }],
    ['no chain named', chains, '/chains/', () => bearer(alphaKey), { status: 400 }],
    ['deeper path', chains, '/chains/alpha/extra', () => bearer(alphaKey), { status: 400 }],
    ['chain without an Orbit JWT secret', chains, '/chains/gamma', () => bearer(alphaKey), { status: 401, code: 'UNAUTHENTICATED' }],
    ['root with a chains file', chains, '/', none, { kind: 'root' }],
    ['a chain JWT means nothing at the root', chains, '/', () => bearer(alphaKey), { kind: 'root' }],
    ['chain routes ignore the root JWT', chains, '/chains/alpha', () => bearer(rootKey), { status: 401, text: 'signature is invalid' }, rootKey],
  ];
  for (const [label, directory, path, auth, expected, root] of cases) {
    it(label, async () => {
      const decided = await routeRequest(path, await auth(), context(directory, root));
      if ('kind' in expected) expect(decided).toEqual(expected);
      else expect(decided).toMatchObject(expected);
    });
  }

  it('tells how to give a chain an Orbit JWT secret', async () => {
    const decided = await routeRequest('/chains/gamma', undefined, context(chains));
    expect(decided).toMatchObject({ status: 401, text: expect.stringContaining('orbitJwtSecret or orbitJwtSecretFile') as unknown });
  });
});

describe('admitCalls: what the body calls', () => {
  const root: RouteTarget = { kind: 'root' };
  const alpha: RouteTarget = { kind: 'chain', chain: 'alpha', authenticated: true };
  const alphaNoToken: RouteTarget = { kind: 'chain', chain: 'alpha', authenticated: false };
  const cases: [label: string, directory: ChainDirectory, target: RouteTarget, access: ChainAccess, expected: { chain: string } | Partial<RouteRefusal>][] = [
    ['no chains file: root writes as before', noChains, root, 'write', { chain: DEFAULT_CHAIN }],
    ['no chains file: root reads as before', noChains, root, 'read', { chain: DEFAULT_CHAIN }],
    ['root reads stay open', chains, root, 'read', { chain: DEFAULT_CHAIN }],
    ['root writes need a chain', chains, root, 'write', { status: 401, text: expect.stringContaining('/chains/<name>') as unknown as string }],
    ['root reads need a chain with --chains-auth-reads', chainsAuthReads, root, 'read', { status: 401, text: expect.stringContaining('--chains-auth-reads') as unknown as string }],
    ['authenticated chain writes', chains, alpha, 'write', { chain: 'alpha' }],
    ['authenticated chain reads with --chains-auth-reads', chainsAuthReads, alpha, 'read', { chain: 'alpha' }],
    ['no token: reads open, counted for the chain', chains, alphaNoToken, 'read', { chain: 'alpha' }],
    ['no token: writes refused', chains, alphaNoToken, 'write', { status: 401, text: 'missing token', code: 'UNAUTHENTICATED' }],
    ['no token: reads refused with --chains-auth-reads', chainsAuthReads, alphaNoToken, 'read', { status: 401, text: 'missing token' }],
  ];
  for (const [label, directory, target, access, expected] of cases) {
    it(label, () => {
      const admitted = admitCalls(target, access, directory);
      if ('chain' in expected) expect(admitted).toEqual(expected);
      else expect(admitted).toMatchObject(expected);
    });
  }
});

describe('accessOf', () => {
  const isWrite = (method: string) => method === 'daprovider_store';
  it.each([
    [[], 'read'],
    [['daprovider_recoverPayload'], 'read'],
    [['daprovider_store'], 'write'],
    [['daprovider_recoverPayload', 'daprovider_store'], 'write'],
    [['no_such_method'], 'read'],
  ] as const)('%j → %s', (methods, access) => {
    expect(accessOf(methods, isWrite)).toBe(access);
  });
});
