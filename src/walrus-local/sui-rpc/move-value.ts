// Move values described once and rendered twice: as BCS (what `showBcs` returns and what
// @mysten/sui parses for `content`) and as Sui JSON (`showContent` fields), so the two views of an
// object can never disagree. Sui JSON follows sui-json-rpc-types `SuiMoveValue`:
//
//   u8 u16 u32        → number            u64 u128 u256   → decimal string
//   address, ID       → "0x" + 64 hex     UID             → {"id": "0x…"}
//   Balance<T>        → its u64 value as a decimal string
//   vector<T>         → array             Option<T>       → value or null
//   String            → string
//   struct            → {"type": "<full type>", "fields": {...}}   (tuple fields are pos0, pos1, …)
//   enum              → {"type": "<full type>", "variant": "Name", "fields": {"pos0": …}}
import { bcs, type BcsType } from '@mysten/bcs';

export type MovePrimitive = 'u8' | 'u16' | 'u32' | 'u64' | 'u128' | 'u256' | 'bool' | 'address' | 'ID' | 'UID' | 'String' | 'Balance';

export interface MoveStruct {
  readonly kind: 'struct';
  readonly type: string;
  readonly fields: readonly (readonly [string, MoveType])[];
}

export interface MoveEnum {
  readonly kind: 'enum';
  readonly type: string;
  readonly variants: readonly (readonly [string, readonly MoveType[]])[];
}

export type MoveType = MovePrimitive | { readonly vector: MoveType } | { readonly option: MoveType } | MoveStruct | MoveEnum;

/** A value of a MoveType: numbers/bigints/strings for scalars, arrays, field records, enum variants. */
export type MoveValue = number | bigint | string | boolean | null | Uint8Array | readonly MoveValue[] | MoveFields | MoveVariant;
export interface MoveFields {
  readonly [field: string]: MoveValue;
}
export interface MoveVariant {
  readonly $variant: string;
  readonly $fields: readonly MoveValue[];
}

export type SuiJson = number | string | boolean | null | readonly SuiJson[] | { readonly [key: string]: SuiJson };

export function struct(type: string, fields: readonly (readonly [string, MoveType])[]): MoveStruct {
  return { kind: 'struct', type, fields };
}

export function moveEnum(type: string, variants: readonly (readonly [string, readonly MoveType[]])[]): MoveEnum {
  return { kind: 'enum', type, variants };
}

export function toBcs(type: MoveType, value: MoveValue): Uint8Array {
  return bcsType(type).serialize(value).toBytes();
}

/** The `fields` object of a top-level struct value (what `content.fields` holds). */
export function toSuiJsonFields(type: MoveStruct, value: MoveValue): { [key: string]: SuiJson } {
  const record = value as MoveFields;
  return Object.fromEntries(type.fields.map(([name, fieldType]) => [name, toSuiJson(fieldType, record[name] ?? null)]));
}

export function toSuiJson(type: MoveType, value: MoveValue): SuiJson {
  if (typeof type === 'string') {
    switch (type) {
      case 'u8':
      case 'u16':
      case 'u32':
        return Number(value);
      case 'u64':
      case 'u128':
      case 'u256':
        return BigInt(value as bigint | number | string).toString();
      case 'bool':
        return Boolean(value);
      case 'address':
      case 'ID':
        return normalizeAddress(value as string);
      case 'UID':
        return { id: normalizeAddress(value as string) };
      case 'String':
        return typeof value === 'string' ? value : '';
      case 'Balance':
        return BigInt(value as bigint | number | string).toString();
    }
  }
  if ('vector' in type) {
    const items = value instanceof Uint8Array ? Array.from(value) : (value as readonly MoveValue[]);
    return items.map((item) => toSuiJson(type.vector, item));
  }
  if ('option' in type) return value === null || value === undefined ? null : toSuiJson(type.option, value);
  if (type.kind === 'struct') return { type: type.type, fields: toSuiJsonFields(type, value) };
  const variant = value as MoveVariant;
  const fieldTypes = type.variants.find(([name]) => name === variant.$variant)?.[1] ?? [];
  return {
    type: type.type,
    variant: variant.$variant,
    fields: Object.fromEntries(fieldTypes.map((fieldType, i) => [`pos${i}`, toSuiJson(fieldType, variant.$fields[i] ?? null)])),
  };
}

export function normalizeAddress(address: string): string {
  return `0x${address.replace(/^0x/, '').toLowerCase().padStart(64, '0')}`;
}

const cache = new WeakMap<object, BcsType<unknown, unknown>>();

function bcsType(type: MoveType): BcsType<unknown, unknown> {
  if (typeof type === 'string') return primitive(type);
  const cached = cache.get(type);
  if (cached) return cached;
  let built: BcsType<unknown, unknown>;
  if ('vector' in type) {
    const inner = type.vector === 'u8' ? undefined : bcsType(type.vector);
    built = inner ? (bcs.vector(inner) as BcsType<unknown, unknown>) : (bcs.byteVector() as BcsType<unknown, unknown>);
  } else if ('option' in type) {
    built = bcs.option(bcsType(type.option));
  } else if (type.kind === 'struct') {
    built = bcs.struct(type.type, Object.fromEntries(type.fields.map(([name, t]) => [name, bcsType(t)]))) as BcsType<unknown, unknown>;
  } else {
    // A Move enum is a ULEB128 variant index followed by the variant's fields in order.
    const variants: Record<string, BcsType<unknown> | null> = {};
    for (const [name, fields] of type.variants) variants[name] = fields.length === 0 ? null : (bcs.tuple(fields.map(bcsType)) as unknown as BcsType<unknown>);
    const enumType = bcs.enum(type.type, variants) as unknown as BcsType<unknown>;
    built = enumType.transform({
      input: (value: unknown) => {
        const variant = value as MoveVariant;
        return { [variant.$variant]: variant.$fields.length === 0 ? null : variant.$fields };
      },
    });
  }
  cache.set(type, built);
  return built;
}

function primitive(type: MovePrimitive): BcsType<unknown, unknown> {
  switch (type) {
    case 'u8':
      return bcs.u8() as BcsType<unknown, unknown>;
    case 'u16':
      return bcs.u16() as BcsType<unknown, unknown>;
    case 'u32':
      return bcs.u32() as BcsType<unknown, unknown>;
    case 'u64':
    case 'Balance':
      return bcs.u64() as BcsType<unknown, unknown>;
    case 'u128':
      return bcs.u128() as BcsType<unknown, unknown>;
    case 'u256':
      return bcs.u256() as BcsType<unknown, unknown>;
    case 'bool':
      return bcs.bool() as BcsType<unknown, unknown>;
    case 'String':
      return bcs.string() as BcsType<unknown, unknown>;
    case 'address':
    case 'ID':
    case 'UID':
      return bcs.fixedArray(32, bcs.u8()).transform({
        input: (value: string) => Array.from(Buffer.from(normalizeAddress(value).slice(2), 'hex')),
      }) as BcsType<unknown, unknown>;
  }
}
