import { bcs } from '@mysten/bcs';
import { describe, expect, it } from 'vitest';
import { moveEnum, struct, toBcs, toSuiJsonFields } from './move-value.ts';

describe('Move values', () => {
  const inner = struct('0x2::balance::Holder', [['value', 'Balance']]);
  const state = moveEnum('0xabc::m::State', [
    ['Idle', []],
    ['Done', ['u64']],
  ]);
  const layout = struct('0xabc::m::Thing', [
    ['id', 'UID'],
    ['small', 'u16'],
    ['big', 'u64'],
    ['huge', 'u256'],
    ['flag', 'bool'],
    ['owner', 'ID'],
    ['bytes', { vector: 'u8' }],
    ['maybe', { option: 'u32' }],
    ['nothing', { option: 'u32' }],
    ['holder', inner],
    ['state', state],
  ]);
  const value = {
    id: '0x5',
    small: 513,
    big: 2n ** 40n,
    huge: 2n ** 200n,
    flag: true,
    owner: '0xff',
    bytes: Uint8Array.of(1, 2),
    maybe: 7,
    nothing: null,
    holder: { value: 10 },
    state: { $variant: 'Done', $fields: [99n] },
  };

  it('renders Sui JSON like a full node', () => {
    expect(toSuiJsonFields(layout, value)).toEqual({
      id: { id: `0x${'0'.repeat(63)}5` },
      small: 513,
      big: '1099511627776',
      huge: (2n ** 200n).toString(),
      flag: true,
      owner: `0x${'0'.repeat(62)}ff`,
      bytes: [1, 2],
      maybe: 7,
      nothing: null,
      holder: { type: '0x2::balance::Holder', fields: { value: '10' } },
      state: { type: '0xabc::m::State', variant: 'Done', fields: { pos0: '99' } },
    });
  });

  it('serializes the same value as BCS that @mysten/bcs reads back', () => {
    const reader = bcs.struct('Thing', {
      id: bcs.fixedArray(32, bcs.u8()),
      small: bcs.u16(),
      big: bcs.u64(),
      huge: bcs.u256(),
      flag: bcs.bool(),
      owner: bcs.fixedArray(32, bcs.u8()),
      bytes: bcs.byteVector(),
      maybe: bcs.option(bcs.u32()),
      nothing: bcs.option(bcs.u32()),
      holder: bcs.struct('Holder', { value: bcs.u64() }),
      state: bcs.enum('State', { Idle: null, Done: bcs.u64() }),
    });
    const parsed = reader.parse(toBcs(layout, value));
    expect(parsed).toMatchObject({ small: 513, big: '1099511627776', huge: (2n ** 200n).toString(), flag: true, maybe: 7, nothing: null, holder: { value: '10' } });
    expect(parsed.state).toMatchObject({ Done: '99' });
    expect(parsed.id.at(-1)).toBe(5);
    expect(Array.from(parsed.bytes)).toEqual([1, 2]);
  });
});
