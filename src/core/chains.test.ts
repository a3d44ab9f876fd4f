import { describe, expect, it } from 'vitest';
import { ChainDirectory, DEFAULT_CHAIN } from './chains.ts';
import { InvalidInputError, UnauthenticatedError } from './errors.ts';

const chains = new ChainDirectory([
  { name: 'alpha', secret: 's3cret', limits: { putsPerSecond: 1 }, goDaNamespace: '0a0b' },
  { name: 'beta', secret: 'other', limits: {} },
]);

describe('ChainDirectory', () => {
  it('without a chains file, everything is the implicit default chain and nothing is checked', () => {
    const none = new ChainDirectory(undefined);
    expect(none.enabled).toBe(false);
    expect(none.authenticate('write', {})).toBe(DEFAULT_CHAIN);
    expect(none.authenticate('write', { chain: 'whatever', secret: 'x' })).toBe(DEFAULT_CHAIN);
    expect(none.names).toEqual([DEFAULT_CHAIN]);
  });

  it('admits a write with the right secret', () => {
    expect(chains.authenticate('write', { chain: 'alpha', secret: 's3cret' })).toBe('alpha');
  });

  it.each([
    ['no secret', { chain: 'alpha' }, UnauthenticatedError, 'no credentials for chain alpha'],
    ['a wrong secret', { chain: 'alpha', secret: 's3cres' }, UnauthenticatedError, 'wrong credentials for chain alpha'],
    ['another chain’s secret', { chain: 'alpha', secret: 'other' }, UnauthenticatedError, 'wrong credentials'],
    ['no chain at all', {}, UnauthenticatedError, 'writes need a chain'],
    ['an unknown chain', { chain: 'gamma', secret: 's3cret' }, InvalidInputError, 'unknown chain "gamma"'],
  ])('refuses a write with %s', (_, claim, type, message) => {
    expect(() => chains.authenticate('write', claim)).toThrowError(type);
    expect(() => chains.authenticate('write', claim)).toThrowError(message);
  });

  it('never repeats the presented secret in an error', () => {
    try {
      chains.authenticate('write', { chain: 'alpha', secret: 'leaked-guess' });
    } catch (error) {
      expect(String(error)).not.toContain('leaked-guess');
    }
  });

  it('leaves reads open by default, attributed to the named chain, and closes them with authReads', () => {
    expect(chains.authenticate('read', {})).toBe(DEFAULT_CHAIN);
    expect(chains.authenticate('read', { chain: 'beta' })).toBe('beta');
    expect(() => chains.authenticate('read', { chain: 'gamma' })).toThrowError(InvalidInputError);
    const closed = new ChainDirectory([{ name: 'alpha', secret: 's3cret', limits: {} }], { authReads: true });
    expect(() => closed.authenticate('read', { chain: 'alpha' })).toThrowError(UnauthenticatedError);
    expect(closed.authenticate('read', { chain: 'alpha', secret: 's3cret' })).toBe('alpha');
  });

  it('maps go-da namespaces to chains and exposes limits', () => {
    expect(chains.chainOfNamespace('0a0b')).toBe('alpha');
    expect(chains.chainOfNamespace('ffff')).toBeUndefined();
    expect(chains.limits().get('alpha')).toEqual({ putsPerSecond: 1 });
  });
});
