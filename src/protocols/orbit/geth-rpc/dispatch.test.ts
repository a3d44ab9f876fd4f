// The dispatcher against a toy method table: every answer pinned byte for byte to what
// go-ethereum's rpc.Server writes for the same body (rpc/handler.go, rpc/json.go).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RpcDispatcher, parseRequest, rpcMethod, type RpcMethod } from './dispatch.ts';
import { goQuote } from './go-json.ts';
import { encodeHexBytes, hexBytes, hexUint64 } from './hexutil.ts';
import { JsonRpcError, RPC_DEFAULT_ERROR } from './json-rpc-error.ts';

function toyDispatcher(options: { batchItemLimit?: number; batchResponseMaxBytes?: number } = {}) {
  const calls: string[] = [];
  const observed: string[] = [];
  const methods = new Map<string, RpcMethod>([
    [
      'toy_echo',
      rpcMethod([hexBytes, hexUint64], ([bytes, n]) => {
        calls.push(`echo ${n}`);
        return Promise.resolve(`{"bytes":"${encodeHexBytes(bytes)}","n":${n}}`);
      }),
    ],
    [
      'toy_none',
      rpcMethod([], () => {
        calls.push('none');
        return Promise.resolve('null');
      }),
    ],
    ['toy_fail', rpcMethod([], () => Promise.reject(new Error('it broke <badly>')))],
  ]);
  const dispatcher = new RpcDispatcher({
    methods,
    mapError: (error, method) => new JsonRpcError(RPC_DEFAULT_ERROR, `${method}: ${(error as Error).message}`, 'INTERNAL'),
    observe: (method, run) => {
      observed.push(method);
      return run();
    },
    ...options,
  });
  const handle = (body: string) => dispatcher.handle(body, { signal: new AbortController().signal });
  return { dispatcher, handle, calls, observed };
}

const err = (id: string, code: number, message: string) => `{"jsonrpc":"2.0","id":${id},"error":{"code":${code},"message":${goQuote(message)}}}`;

describe('single messages', () => {
  it('answers calls with the id echoed raw', async () => {
    const { handle } = toyDispatcher();
    expect(await handle('{"jsonrpc":"2.0","id":1,"method":"toy_echo","params":["0x01","0x2"]}')).toBe('{"jsonrpc":"2.0","id":1,"result":{"bytes":"0x01","n":2}}');
    for (const id of ['"abc"', '1.50', '18446744073709551616', 'null', '-0', '"\\u00e9"']) {
      expect(await handle(`{"jsonrpc":"2.0","id":${id},"method":"toy_none"}`)).toBe(`{"jsonrpc":"2.0","id":${id},"result":null}`);
    }
  });

  it('accepts missing, null and empty params for zero-argument methods', async () => {
    const { handle } = toyDispatcher();
    for (const params of ['', ',"params":null', ',"params":[]']) {
      expect(await handle(`{"jsonrpc":"2.0","id":7,"method":"toy_none"${params}}`)).toBe('{"jsonrpc":"2.0","id":7,"result":null}');
    }
  });

  it('decodes messages like Go: case-insensitive fields, last duplicate wins, wrong-typed fields ignored, trailing bytes ignored', async () => {
    const { handle } = toyDispatcher();
    expect(await handle('{"JSONRPC":"2.0","Id":3,"METHOD":"toy_none"}')).toBe('{"jsonrpc":"2.0","id":3,"result":null}');
    expect(await handle('{"jsonrpc":"2.0","id":1,"id":2,"method":"nope","method":"toy_none"}')).toBe('{"jsonrpc":"2.0","id":2,"result":null}');
    expect(await handle('{"jsonrpc":"2.0","id":4,"method":"toy_none","method":5}')).toBe('{"jsonrpc":"2.0","id":4,"result":null}');
    expect(await handle('{"jsonrpc":"2.0","id":5,"method":"toy_none"} trailing garbage')).toBe('{"jsonrpc":"2.0","id":5,"result":null}');
  });

  it('reports protocol errors with geth’s codes and texts', async () => {
    const { handle } = toyDispatcher();
    expect(await handle('{"jsonrpc":"2.0","id":1,')).toBe(err('null', -32700, 'parse error'));
    expect(await handle('nonsense')).toBe(err('null', -32700, 'parse error'));
    expect(await handle('{"jsonrpc":"2.0","id":1,"method":"toy_nope"}')).toBe(err('1', -32601, 'the method toy_nope does not exist/is not available'));
    expect(await handle('{"jsonrpc":"1.0","id":1,"method":"toy_none"}')).toBe(err('1', -32600, 'invalid request'));
    expect(await handle('{"jsonrpc":"2.0","id":{},"method":"toy_none"}')).toBe(err('null', -32600, 'invalid request'));
    expect(await handle('{"jsonrpc":"2.0","id":9}')).toBe(err('9', -32600, 'invalid request'));
    expect(await handle('[]')).toBe(err('null', -32600, 'empty batch'));
    expect(await handle('42')).toBe(err('null', -32600, 'invalid request'));
    const long = `toy_${'x'.repeat(2045)}`;
    // Go escapes '>' in JSON strings.
    expect(await handle(`{"jsonrpc":"2.0","id":1,"method":"${long}"}`)).toBe('{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"method name too long: 2049 \\u003e 2048"}}');
    expect(await handle('{"jsonrpc":"2.0","id":1,"method":"toy_subscribe","params":["x"]}')).toBe(err('1', -32601, 'notifications not supported'));
    expect(await handle('{"jsonrpc":"2.0","id":1,"method":"toy_unsubscribe","params":["0x1"]}')).toBe(err('1', -32000, 'subscription not found'));
    expect(await handle('{"jsonrpc":"2.0","id":1,"method":"toy_unsubscribe","params":[1]}')).toBe(
      err('1', -32602, 'invalid argument 0: json: cannot unmarshal number into Go value of type rpc.ID'),
    );
  });

  it('reports bad params exactly as parsePositionalArguments does', async () => {
    const { handle, observed } = toyDispatcher();
    const call = (params: string) => handle(`{"jsonrpc":"2.0","id":1,"method":"toy_echo","params":${params}}`);
    expect(await call('{}')).toBe(err('1', -32602, 'non-array args'));
    expect(await call('"0x01"')).toBe(err('1', -32602, 'non-array args'));
    expect(await call('[]')).toBe(err('1', -32602, 'missing value for required argument 0'));
    expect(await call('["0x01"]')).toBe(err('1', -32602, 'missing value for required argument 1'));
    expect(await call('["0x01","0x1","0x2"]')).toBe(err('1', -32602, 'too many arguments, want at most 2'));
    expect(await call('["0x1","0x1","0x2"]')).toBe(err('1', -32602, 'invalid argument 0: json: cannot unmarshal hex string of odd length into Go value of type hexutil.Bytes'));
    expect(await call('["0x01","0x01"]')).toBe(
      err('1', -32602, 'invalid argument 1: json: cannot unmarshal hex number with leading zero digits into Go value of type hexutil.Uint64'),
    );
    expect(await call('["0x01",1]')).toBe(err('1', -32602, 'invalid argument 1: json: cannot unmarshal non-string into Go value of type hexutil.Uint64'));
    expect(observed.every((m) => m === 'toy_echo')).toBe(true);
  });

  it('passes method failures through the protocol mapping, Go-escaped', async () => {
    const { handle } = toyDispatcher();
    expect(await handle('{"jsonrpc":"2.0","id":1,"method":"toy_fail"}')).toBe(
      '{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"toy_fail: it broke \\u003cbadly\\u003e"}}',
    );
  });

  it('runs notifications without answering, and ignores responses', async () => {
    const { handle, calls } = toyDispatcher();
    expect(await handle('{"jsonrpc":"2.0","method":"toy_none"}')).toBeUndefined();
    expect(calls).toEqual(['none']);
    expect(await handle('{"jsonrpc":"2.0","id":1,"result":"x"}')).toBeUndefined();
    expect(await handle('{"jsonrpc":"2.0","method":"toy_subscription","params":{}}')).toBeUndefined();
    expect(await handle(' \n ')).toBeUndefined();
  });

  it('serves rpc_modules like every geth server', async () => {
    const { handle } = toyDispatcher();
    expect(await handle('{"jsonrpc":"2.0","id":1,"method":"rpc_modules"}')).toBe('{"jsonrpc":"2.0","id":1,"result":{"rpc":"1.0","toy":"1.0"}}');
  });
});

describe('batches', () => {
  it('answers calls in order, skips notifications and responses, reports invalid members', async () => {
    const { handle, calls } = toyDispatcher();
    const body = JSON.stringify([
      { jsonrpc: '2.0', id: 'b', method: 'toy_echo', params: ['0xff', '0x10'] },
      { jsonrpc: '2.0', method: 'toy_echo', params: ['0x', '0x0'] },
      1,
      { jsonrpc: '2.0', id: 3, result: 1 },
      { jsonrpc: '2.0', id: 4, method: 'toy_nope' },
    ]);
    expect(await handle(body)).toBe(
      `[{"jsonrpc":"2.0","id":"b","result":{"bytes":"0xff","n":16}},${err('null', -32600, 'invalid request')},${err('4', -32601, 'the method toy_nope does not exist/is not available')}]`,
    );
    expect(calls).toEqual(['echo 16', 'echo 0']);
  });

  it('answers nothing when a batch holds only notifications or responses', async () => {
    const { handle } = toyDispatcher();
    expect(await handle('[{"jsonrpc":"2.0","method":"toy_none"}]')).toBeUndefined();
    expect(await handle('[{"jsonrpc":"2.0","id":1,"error":{}}]')).toBeUndefined();
  });

  it('enforces the item and response limits as geth does', async () => {
    const { handle } = toyDispatcher({ batchItemLimit: 2, batchResponseMaxBytes: 60 });
    const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'toy_none' });
    expect(await handle(JSON.stringify([{ jsonrpc: '2.0', method: 'toy_none' }, call(5), call(6)]))).toBe(`[${err('5', -32600, 'batch too large')}]`);
    const big = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'toy_echo', params: [`0x${'ab'.repeat(20)}`, '0x1'] },
      call(2),
    ]);
    expect(await handle(big)).toBe(`[{"jsonrpc":"2.0","id":1,"result":{"bytes":"0x${'ab'.repeat(20)}","n":1}},${err('2', -32003, 'response too large')}]`);
  });
});

describe('fuzzing', () => {
  it('answers any body with nothing or valid JSON, never an exception', async () => {
    const { handle } = toyDispatcher();
    const message = fc.record(
      {
        jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue()),
        id: fc.jsonValue(),
        method: fc.oneof(fc.constantFrom('toy_echo', 'toy_none', 'toy_fail', 'rpc_modules', 'x_subscribe', 'x_unsubscribe'), fc.jsonValue()),
        params: fc.oneof(fc.array(fc.oneof(fc.jsonValue(), fc.stringMatching(/^0x[0-9a-f]{0,6}$/))), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const bodies = fc.oneof(
      message.map((m) => JSON.stringify(m)),
      fc.array(fc.oneof(message, fc.jsonValue())).map((b) => JSON.stringify(b)),
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const answer = await handle(body);
        if (answer !== undefined) expect(() => JSON.parse(answer) as unknown).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseRequest (what a route admits before anything runs)', () => {
  it.each([
    ['{"jsonrpc":"2.0","id":1,"method":"a_b"}', ['a_b']],
    ['[{"jsonrpc":"2.0","id":1,"method":"a_b"},{"jsonrpc":"2.0","method":"c_d"},{"jsonrpc":"2.0","id":2,"result":1}]', ['a_b', 'c_d']],
    ['{"METHOD":"a_b"}', ['a_b']],
    ['[1,"x",{"jsonrpc":"2.0","id":3}]', []],
    ['', []],
    ['{not json', []],
  ])('%s calls %j', (body, methods) => {
    expect(parseRequest(body).methods).toEqual(methods);
  });

  it('serves a parsed body exactly as handle does', async () => {
    const { dispatcher } = toyDispatcher();
    for (const body of ['{"jsonrpc":"2.0","id":1,"method":"toy_none"}', '[{"jsonrpc":"2.0","id":1,"method":"toy_none"}]', '{', '']) {
      expect(await dispatcher.serve(parseRequest(body), { signal: new AbortController().signal })).toBe(await dispatcher.handle(body, { signal: new AbortController().signal }));
    }
  });
});
