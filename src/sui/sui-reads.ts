// The Sui reads both adapters make (SuiAvailability, SuiCertificates), each failure turned into a
// DaError once: a transport failure is an UnavailableError, BCS that does not parse an InternalError.
import { bcs } from '@mysten/sui/bcs';
import type { ClientWithCoreApi, SuiClientTypes } from '@mysten/sui/client';
import { normalizeSuiAddress, parseStructTag } from '@mysten/sui/utils';
import { InternalError, UnavailableError, type CallOptions } from '../core/index.ts';
import { VersionedBcs } from './walrus-move-types.ts';

export async function sui<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new UnavailableError(`Sui ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export function parseBcs<T>(parse: () => T, what: string): T {
  try {
    return parse();
  } catch (error) {
    throw new InternalError(`cannot parse the BCS of the ${what}`, { cause: error });
  }
}

/** One object, or undefined when Sui has none with that id (never created, or deleted). */
export async function suiObject<Include extends SuiClientTypes.ObjectInclude>(
  client: ClientWithCoreApi,
  objectId: string,
  include: Include,
  options: CallOptions,
): Promise<SuiClientTypes.Object<Include> | undefined> {
  const { objects } = await sui('object read', () => client.core.getObjects({ objectIds: [objectId], include, ...(options.signal ? { signal: options.signal } : {}) }));
  const [object] = objects;
  if (object instanceof Error) {
    if ('reason' in object && (object.reason === 'notFound' || object.reason === 'deleted')) return undefined;
    throw new UnavailableError(`Sui object read failed for ${objectId}: ${object.message}`, { cause: object });
  }
  return object;
}

/**
 * The BCS of a versioned Walrus shared object's inner state (`System`, `Staking`): a dynamic field
 * keyed by the object's current u64 version. `name` is the object's name in messages.
 */
export async function innerStateBcs(client: ClientWithCoreApi, objectId: string, name: string, options: CallOptions): Promise<Uint8Array> {
  const object = await suiObject(client, objectId, { content: true }, options);
  if (!object) throw new UnavailableError(`Sui has no ${name} object ${objectId}`);
  const { version } = parseBcs(() => VersionedBcs.parse(object.content), `${name} object`);
  const { dynamicField } = await sui(`${name} inner state read`, () =>
    client.core.getDynamicField({ parentId: objectId, name: { type: 'u64', bcs: bcs.u64().serialize(version).toBytes() }, ...(options.signal ? { signal: options.signal } : {}) }),
  );
  return dynamicField.value.bcs;
}

/** The Walrus package: the one that defines the type of the `System` object (and of Blob, its events). */
export async function walrusPackage(client: ClientWithCoreApi, systemObjectId: string, options: CallOptions): Promise<string> {
  const system = await suiObject(client, systemObjectId, {}, options);
  if (!system) throw new UnavailableError(`Sui has no Walrus system object ${systemObjectId}`);
  return normalizeSuiAddress(parseStructTag(system.type).address);
}
