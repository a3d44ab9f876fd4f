import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, MAX_NESTING_DEPTH, arrayItems, objectMembers, rawText, scanFirstValue, stringContent, stringValue } from './json-scan.ts';

describe('scanFirstValue', () => {
  it('finds the first value and ignores what follows, like Go json.Decoder', () => {
    const cases: [string, string][] = [
      ['{"a":1}', '{"a":1}'],
      [' \t\r\n{"a":1}  ', '{"a":1}'],
      ['{"a":1}garbage', '{"a":1}'],
      ['[1,2]]]', '[1,2]'],
      ['"str"tail', '"str"'],
      ['123abc', '123'],
      ['01', '0'], // Go: the number 0, then "1" is the next value
      ['-0.5e+3,', '-0.5e+3'],
      ['true false', 'true'],
      ['null', 'null'],
    ];
    for (const [text, expected] of cases) {
      const span = scanFirstValue(text);
      expect(span && rawText(text, span), text).toBe(expected);
    }
  });

  it('treats a body of whitespace as no value at all (geth: io.EOF, no response)', () => {
    expect(scanFirstValue('')).toBeUndefined();
    expect(scanFirstValue(' \n\t\r ')).toBeUndefined();
  });

  it('rejects malformed and truncated values', () => {
    for (const text of ['{', '{"a"', '{"a":}', '{"a" 1}', '{a:1}', '[1,]', '[1 2]', '"abc', '"\\x"', '"\\u12g4"', '"a\nb"', '-', '1.', '1.e5', '1e', 'tru', 'nul', 'x', '\ufeff{}', ',']) {
      expect(() => scanFirstValue(text), JSON.stringify(text)).toThrow(JsonSyntaxError);
    }
  });

  it('enforces Go’s nesting limit without overflowing the stack', () => {
    const ok = `${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}`;
    expect(scanFirstValue(ok)?.end).toBe(ok.length);
    const deep = `${'['.repeat(MAX_NESTING_DEPTH + 1)}${']'.repeat(MAX_NESTING_DEPTH + 1)}`;
    expect(() => scanFirstValue(deep)).toThrow(/exceeded max depth/);
    expect(() => scanFirstValue('['.repeat(1_000_000))).toThrow(JsonSyntaxError);
  });

  it('scans a 10 MB hex string', () => {
    const text = `{"params":["0x${'ab'.repeat(5_000_000)}"]}`;
    const span = scanFirstValue(text);
    expect(span?.end).toBe(text.length);
  });
});

describe('members, items and strings', () => {
  it('keeps members in document order with duplicates', () => {
    const text = '{"b":1, "a" : [true,null] ,"b":"x"}';
    const span = scanFirstValue(text);
    if (!span) throw new Error('no value');
    const members = objectMembers(text, span);
    expect(members.map((m) => [m.key, rawText(text, m.value), m.value.kind])).toEqual([
      ['b', '1', 'number'],
      ['a', '[true,null]', 'array'],
      ['b', '"x"', 'string'],
    ]);
    const array = members[1]?.value;
    if (!array) throw new Error('no array');
    expect(arrayItems(text, array).map((s) => s.kind)).toEqual(['true', 'null']);
  });

  it('gives hexutil the raw characters and everyone else the decoded value', () => {
    const text = '"0x\\u0041\\n"';
    const span = scanFirstValue(text);
    if (!span) throw new Error('no value');
    expect(stringContent(text, span)).toBe('0x\\u0041\\n');
    expect(stringValue(text, span)).toBe('0xA\n');
  });
});

describe('properties', () => {
  it('agrees with JSON.parse on every JSON document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('', ' ', '\n\t'), (value, pad) => {
        const json = JSON.stringify(value);
        const text = `${pad}${json}${pad}`;
        const span = scanFirstValue(text);
        expect(span && rawText(text, span)).toBe(json);
        expect(JSON.parse(rawText(text, span!))).toEqual(JSON.parse(json));
      }),
    );
  });

  it('reads objects and arrays member by member as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()), (object, array) => {
        const text = JSON.stringify({ object, array });
        const parsed = JSON.parse(text) as { object: unknown; array: unknown }; // -0 is written as 0
        const top = scanFirstValue(text)!;
        const [o, a] = objectMembers(text, top).map((m) => m.value);
        const rebuilt = Object.fromEntries(objectMembers(text, o!).map((m) => [m.key, JSON.parse(rawText(text, m.value)) as unknown]));
        expect(rebuilt).toEqual(parsed.object);
        expect(arrayItems(text, a!).map((s) => JSON.parse(rawText(text, s)) as unknown)).toEqual(parsed.array);
      }),
    );
  });

  it('never fails on hostile input with anything but JsonSyntaxError, and accepts only what JSON.parse accepts', () => {
    const fragments = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '1', '-', '.', 'e', 'true', 'null', ' ', '\n', 'x', '\u0001', 'é');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fragments).map((parts) => parts.join(''))), (text) => {
        let span;
        try {
          span = scanFirstValue(text);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonSyntaxError);
          return;
        }
        if (span) expect(() => JSON.parse(rawText(text, span)) as unknown).not.toThrow();
        else expect(text.trim()).toBe('');
      }),
      { numRuns: 2000 },
    );
  });
});
