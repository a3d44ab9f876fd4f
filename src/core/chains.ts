// The chains one deployment serves and how a call proves which chain it is. Every door turns its
// wire's credentials (HTTP Basic, a per-chain JWT, gRPC bearer metadata, a go-da namespace) into
// a `ChainClaim` and asks this directory; the answers are the same on every door:
//   unknown chain name           → InvalidInputError (400 / INVALID_ARGUMENT): never 404, which
//                                  op-node reads as "this data does not exist"
//   missing or wrong credentials → UnauthenticatedError (401 / UNAUTHENTICATED)
// Without a chains file there is one implicit chain, DEFAULT_CHAIN, and no authentication at all:
// exactly the behaviour of a deployment that predates chains.
import { timingSafeEqual } from 'node:crypto';
import type { ChainLimits } from './admission.ts';
import { InvalidInputError, UnauthenticatedError } from './errors.ts';

/** The chain of every call on a deployment without a chains file. */
export const DEFAULT_CHAIN = 'default';

export interface ChainEntry {
  readonly name: string;
  readonly secret: string;
  /** 32-byte HS256 key of the chain's Orbit JWTs. */
  readonly orbitJwtSecret?: Uint8Array;
  /** go-da namespace (lowercase hex, no 0x) that selects this chain. */
  readonly goDaNamespace?: string;
  readonly limits: ChainLimits;
}

/** What a call says about its chain, as its door read it off the wire. */
export interface ChainClaim {
  /** From the URL path (/chains/<name>), gRPC metadata or the Basic user name. */
  readonly chain?: string | undefined;
  /** The secret presented (Basic password, bearer token); undefined when none was sent. */
  readonly secret?: string | undefined;
}

export type ChainAccess = 'write' | 'read';

export class ChainDirectory {
  readonly #chains: ReadonlyMap<string, ChainEntry>;
  readonly #byNamespace: ReadonlyMap<string, string>;
  readonly #authReads: boolean;

  /** `chains` undefined: no chains file (one implicit chain, no auth). */
  constructor(chains: readonly ChainEntry[] | undefined, options: { readonly authReads?: boolean } = {}) {
    this.#chains = new Map((chains ?? []).map((c) => [c.name, c]));
    this.#byNamespace = new Map((chains ?? []).flatMap((c) => (c.goDaNamespace === undefined ? [] : [[c.goDaNamespace, c.name] as const])));
    this.#authReads = options.authReads ?? false;
  }

  /** Whether a chains file is in force (calls must name and prove their chain). */
  get enabled(): boolean {
    return this.#chains.size > 0;
  }

  get names(): readonly string[] {
    return this.enabled ? [...this.#chains.keys()] : [DEFAULT_CHAIN];
  }

  /** Whether the chains file declares `name` (a map lookup: doors ask on every request). */
  has(name: string): boolean {
    return this.#chains.has(name);
  }

  /** Per-chain limits, for admission. */
  limits(): ReadonlyMap<string, ChainLimits> {
    return new Map([...this.#chains].map(([name, c]) => [name, c.limits]));
  }

  /** Whether this access needs credentials (writes always do under a chains file; reads only with authReads). */
  requiresCredentials(access: ChainAccess): boolean {
    return this.enabled && (access === 'write' || this.#authReads);
  }

  /**
   * The chain a call acts for. Reads that need no credentials are still attributed to the named
   * chain (for metrics) when it exists, else to DEFAULT_CHAIN.
   */
  authenticate(access: ChainAccess, claim: ChainClaim): string {
    if (!this.enabled) return DEFAULT_CHAIN;
    const entry = claim.chain === undefined ? undefined : this.#chains.get(claim.chain);
    if (claim.chain !== undefined && entry === undefined) {
      throw new InvalidInputError(`unknown chain ${JSON.stringify(claim.chain)}: this deployment serves ${[...this.#chains.keys()].join(', ')}`);
    }
    if (!this.requiresCredentials(access)) return entry?.name ?? DEFAULT_CHAIN;
    if (entry === undefined) throw new UnauthenticatedError(`${access}s need a chain and its credentials`);
    if (claim.secret === undefined) throw new UnauthenticatedError(`no credentials for chain ${entry.name}`);
    if (!sameSecret(claim.secret, entry.secret)) throw new UnauthenticatedError(`wrong credentials for chain ${entry.name}`);
    return entry.name;
  }

  /** A chain's Orbit JWT key; throws like `authenticate` for an unknown chain. */
  orbitJwtSecret(chain: string): Uint8Array | undefined {
    const entry = this.#chains.get(chain);
    if (!entry) throw new InvalidInputError(`unknown chain ${JSON.stringify(chain)}`);
    return entry.orbitJwtSecret;
  }

  /** The chain a go-da namespace (lowercase hex, no 0x) selects, if any. */
  chainOfNamespace(namespace: string): string | undefined {
    return this.#byNamespace.get(namespace);
  }
}

/** Constant-time for equal lengths; the length of a secret is not what an attacker lacks. */
function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
