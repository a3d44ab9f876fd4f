// Which chain a gRPC call acts for, on both services: walrusda.v1 by metadata, go-da by namespace,
// both proved by the bearer secret; without a chains file nothing is read at all.
import { create } from '@bufbuild/protobuf';
import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ChainDirectory, DEFAULT_CHAIN, InvalidInputError, UnauthenticatedError, type ChainEntry } from '../core/index.ts';
import { metadataAuthenticators } from './chain-auth.ts';
import { NamespaceSchema } from './gen/da/da_pb.ts';
import { MAX_NAMESPACE_BYTES, namespaceAuthenticators } from './go-da/namespace.ts';

const chains: ChainEntry[] = [
  { name: 'alpha', secret: 'alpha-secret', goDaNamespace: '0a0b', limits: {} },
  { name: 'beta', secret: 'beta secret', limits: {} },
];

function metadata(entries: Record<string, string | string[]>): Metadata {
  const m = new Metadata();
  for (const [key, values] of Object.entries(entries)) for (const value of [values].flat()) m.add(key, value);
  return m;
}

const namespace = (hex: string) => ({ namespace: create(NamespaceSchema, { value: Uint8Array.from(Buffer.from(hex, 'hex')) }) });

describe('walrusda.v1 metadata authentication', () => {
  const auth = metadataAuthenticators(new ChainDirectory(chains));

  it('admits a chain with its bearer secret', () => {
    expect(auth.write(metadata({ 'x-walrus-da-chain': 'alpha', authorization: 'Bearer alpha-secret' }), undefined)).toBe('alpha');
    expect(auth.write(metadata({ 'x-walrus-da-chain': 'beta', authorization: 'bearer beta secret' }), undefined)).toBe('beta');
  });

  it('refuses missing or wrong credentials with UNAUTHENTICATED, an unknown chain with INVALID_ARGUMENT', () => {
    expect(() => auth.write(metadata({ 'x-walrus-da-chain': 'alpha' }), undefined)).toThrow(UnauthenticatedError);
    expect(() => auth.write(metadata({ 'x-walrus-da-chain': 'alpha', authorization: 'Bearer beta secret' }), undefined)).toThrow(UnauthenticatedError);
    expect(() => auth.write(metadata({ authorization: 'Bearer alpha-secret' }), undefined)).toThrow(UnauthenticatedError);
    expect(() => auth.write(metadata({ 'x-walrus-da-chain': 'gamma', authorization: 'Bearer alpha-secret' }), undefined)).toThrow(InvalidInputError);
    expect(() => auth.write(metadata({ 'x-walrus-da-chain': 'Alpha!', authorization: 'Bearer alpha-secret' }), undefined)).toThrow(InvalidInputError);
  });

  it('keeps reads open, attributing them to a named chain, and never reads their credentials', () => {
    expect(auth.read(metadata({}), undefined)).toBe(DEFAULT_CHAIN);
    expect(auth.read(metadata({ 'x-walrus-da-chain': 'beta', authorization: 'garbage' }), undefined)).toBe('beta');
    expect(() => auth.read(metadata({ 'x-walrus-da-chain': 'gamma' }), undefined)).toThrow(InvalidInputError);
    expect(auth.open(metadata({ 'x-walrus-da-chain': 'gamma', authorization: 'garbage' }), undefined)).toBe(DEFAULT_CHAIN);
  });

  it('closes reads with authReads', () => {
    const closed = metadataAuthenticators(new ChainDirectory(chains, { authReads: true }));
    expect(() => closed.read(metadata({ 'x-walrus-da-chain': 'alpha' }), undefined)).toThrow(UnauthenticatedError);
    expect(closed.read(metadata({ 'x-walrus-da-chain': 'alpha', authorization: 'Bearer alpha-secret' }), undefined)).toBe('alpha');
  });

  it('reads nothing without a chains file: stock clients are unchanged', () => {
    const stock = metadataAuthenticators(new ChainDirectory(undefined));
    const odd = metadata({ 'x-walrus-da-chain': ['x', 'y'], authorization: 'Basic whatever' });
    expect(stock.write(odd, undefined)).toBe(DEFAULT_CHAIN);
    expect(stock.read(odd, undefined)).toBe(DEFAULT_CHAIN);
  });
});

describe('go-da namespace authentication', () => {
  const auth = namespaceAuthenticators(new ChainDirectory(chains));

  it('selects the chain by namespace and checks the bearer secret', () => {
    expect(auth.write(metadata({ authorization: 'Bearer alpha-secret' }), namespace('0a0b'))).toBe('alpha');
    expect(() => auth.write(metadata({}), namespace('0a0b'))).toThrow(UnauthenticatedError);
    expect(() => auth.write(metadata({ authorization: 'Bearer beta secret' }), namespace('0a0b'))).toThrow(UnauthenticatedError);
    expect(() => auth.write(metadata({ authorization: 'Bearer alpha-secret' }), namespace('0c'))).toThrow(InvalidInputError);
    expect(() => auth.read(metadata({}), {})).toThrow(InvalidInputError);
    expect(auth.read(metadata({}), namespace('0a0b'))).toBe('alpha');
  });

  it('accepts any namespace up to the bound without a chains file', () => {
    const stock = namespaceAuthenticators(new ChainDirectory(undefined));
    expect(stock.write(metadata({}), namespace('ff'.repeat(MAX_NAMESPACE_BYTES)))).toBe(DEFAULT_CHAIN);
    expect(stock.open(metadata({}), undefined)).toBe(DEFAULT_CHAIN);
  });
});
