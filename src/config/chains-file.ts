// The chains file: which rollup chains one deployment serves, how each authenticates, and its
// limits. JSON or YAML, validated by zod like the rest of the configuration. The smallest valid
// file is {"chains":[{"name":"alpha","secret":"s3cret"}]}; secrets may instead come from files
// (`secretFile`, `orbitJwtSecretFile`, resolved relative to the chains file), so that the file
// itself can be committed and the secrets mounted.
//
// A chain's name is also its URL segment (/chains/<name>/…) and its HTTP Basic user name, so it is
// restricted to what needs no escaping in either: lowercase letters, digits and inner dashes.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './settings.ts';

const chainName = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a chain name is 1–63 lowercase letters, digits and inner dashes');
const hex32 = z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, 'must be 32 bytes of hex');
const positive = z.number().positive();
const count = z.number().int().positive();

const limitsSchema = z
  .object({
    /** Sustained puts per second (token bucket refill). */
    putsPerSecond: positive.optional(),
    /** Puts allowed at once above the sustained rate (bucket size). @default max(1, putsPerSecond) */
    putBurst: count.optional(),
    /** Bytes of this chain's frames accepted but not yet committed. */
    maxQueuedBytes: count.optional(),
  })
  .strict();

const chainSchema = z
  .object({
    name: chainName,
    /** Write (and, with --chains-auth-reads, read) credential: Basic password, gRPC bearer token. */
    secret: z.string().min(1).optional(),
    secretFile: z.string().min(1).optional(),
    /** Nitro JWT secret (32-byte hex) for /chains/<name> on the Orbit port. */
    orbitJwtSecret: hex32.optional(),
    orbitJwtSecretFile: z.string().min(1).optional(),
    /** go-da namespace (hex) that selects this chain on da.DAService. */
    goDaNamespace: z
      .string()
      .regex(/^(0x)?([0-9a-fA-F]{2})+$/, 'must be non-empty hex')
      .transform((hex) => hex.replace(/^0x/, '').toLowerCase())
      .optional(),
    limits: limitsSchema.optional(),
  })
  .strict()
  .superRefine((chain, ctx) => {
    if ((chain.secret === undefined) === (chain.secretFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'give exactly one of secret and secretFile' });
    }
    if (chain.orbitJwtSecret !== undefined && chain.orbitJwtSecretFile !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['orbitJwtSecret'], message: 'give at most one of orbitJwtSecret and orbitJwtSecretFile' });
    }
  });

export const chainsFileSchema = z
  .object({ chains: z.array(chainSchema).min(1, 'declare at least one chain') })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    const namespaces = new Map<string, number>();
    file.chains.forEach((chain, i) => {
      if (seen.has(chain.name)) ctx.addIssue({ code: 'custom', path: ['chains', i, 'name'], message: `chain ${chain.name} is declared twice` });
      seen.set(chain.name, i);
      const namespace = chain.goDaNamespace;
      if (namespace !== undefined && namespaces.has(namespace)) {
        ctx.addIssue({ code: 'custom', path: ['chains', i, 'goDaNamespace'], message: `namespace 0x${namespace} already selects another chain` });
      }
      if (namespace !== undefined) namespaces.set(namespace, i);
    });
  });

/** Limits as the core takes them (absent keys, never undefined values). */
export interface ChainLimitsSpec {
  readonly putsPerSecond?: number;
  readonly putBurst?: number;
  readonly maxQueuedBytes?: number;
}

/** One chain with its secrets read: what the composition root hands to the chain directory. */
export interface ChainSpec {
  readonly name: string;
  readonly secret: string;
  /** 32 bytes, when the chain may use the Orbit door. */
  readonly orbitJwtSecret?: Uint8Array;
  /** Lowercase hex without 0x. */
  readonly goDaNamespace?: string;
  readonly limits: ChainLimitsSpec;
}

/** Reads and validates a chains file (JSON, or YAML by extension or when it is not JSON). */
export function loadChainsFile(path: string): ChainSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read chains file ${path}: ${(error as Error).message}`);
  }
  const parsed = chainsFileSchema.safeParse(parseDocument(path, text));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'chains file'}: ${issue.message}`);
    throw new ConfigError(`invalid chains file ${path}:\n  ${lines.join('\n  ')}`);
  }
  const base = dirname(path);
  return parsed.data.chains.map((chain) => {
    const jwt = chain.orbitJwtSecret ?? (chain.orbitJwtSecretFile === undefined ? undefined : secretFromFile(base, chain.orbitJwtSecretFile, chain.name));
    if (jwt !== undefined && !hex32.safeParse(jwt).success) {
      throw new ConfigError(`chains file ${path}: the Orbit JWT secret of chain ${chain.name} must be 32 bytes of hex`);
    }
    return {
      name: chain.name,
      secret: chain.secret ?? secretFromFile(base, chain.secretFile ?? '', chain.name),
      ...(jwt === undefined ? {} : { orbitJwtSecret: Uint8Array.from(Buffer.from(jwt.replace(/^0x/, ''), 'hex')) }),
      ...(chain.goDaNamespace === undefined ? {} : { goDaNamespace: chain.goDaNamespace }),
      limits: {
        ...(chain.limits?.putsPerSecond === undefined ? {} : { putsPerSecond: chain.limits.putsPerSecond }),
        ...(chain.limits?.putBurst === undefined ? {} : { putBurst: chain.limits.putBurst }),
        ...(chain.limits?.maxQueuedBytes === undefined ? {} : { maxQueuedBytes: chain.limits.maxQueuedBytes }),
      },
    };
  });
}

/** The chains as they may be logged: names, limits and which credentials exist, never their values. */
export function redactChains(chains: readonly ChainSpec[]): Record<string, unknown>[] {
  return chains.map((chain) => ({
    name: chain.name,
    secret: '[redacted]',
    orbitJwt: chain.orbitJwtSecret !== undefined,
    ...(chain.goDaNamespace === undefined ? {} : { goDaNamespace: `0x${chain.goDaNamespace}` }),
    limits: chain.limits,
  }));
}

function parseDocument(path: string, text: string): unknown {
  const yamlByName = /\.ya?ml$/i.test(path);
  try {
    return yamlByName ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (jsonOrYamlError) {
    if (!yamlByName) {
      try {
        return parseYaml(text) as unknown;
      } catch {
        // fall through: report the JSON error, the format the name suggests
      }
    }
    throw new ConfigError(`chains file ${path} is neither JSON nor YAML: ${(jsonOrYamlError as Error).message}`);
  }
}

/** A secret file holds the secret alone; one trailing newline (as `echo` writes) is not part of it. */
function secretFromFile(base: string, file: string, chain: string): string {
  const path = resolve(base, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the secret file of chain ${chain} (${path}): ${(error as Error).message}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0) throw new ConfigError(`the secret file of chain ${chain} (${path}) is empty`);
  return secret;
}
