// The wire around the methods, against a real server on loopback: HTTP handling as go-ethereum's
// rpc/http.go does it, JSON-RPC errors for malformed input (never a crash), and JWT as
// go-ethereum's node/jwt_handler.go checks it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/protocols/orbit/index.ts';
import { startOrbitDoor, startStack, type Stack } from '../support/stack.ts';
import { ZERO_HASH, call, hex, jwt, post, requestBody, u64 } from './support/nitro-client.ts';

const BODY_LIMIT = 64 * 1024;

let stack: Stack;
let server: RunningServer;
let small: RunningServer;
let guarded: RunningServer;
const secret = new Uint8Array(randomBytes(32));

beforeAll(async () => {
  stack = await startStack();
  server = await startOrbitDoor(stack, { maxMessageSize: 1_000_000 });
  small = await startOrbitDoor(stack, { maxMessageSize: 1000, bodyLimitBytes: BODY_LIMIT });
  guarded = await startOrbitDoor(stack, { maxMessageSize: 1000, jwtSecret: secret });
});

afterAll(async () => {
  await Promise.all([server?.close(), small?.close(), guarded?.close()]);
  await stack?.close();
});

const rpcError = (id: string, code: number, message: string) => `{"jsonrpc":"2.0","id":${id},"error":{"code":${code},"message":${JSON.stringify(message)}}}`;

describe('HTTP, as go-ethereum serves it', () => {
  it('answers a bodiless GET with 200 and nothing (health checks)', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('refuses PUT and DELETE, wrong content types and oversized bodies with geth’s plain-text errors', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const response = await fetch(server.url, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(405);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('method not allowed\n');
    }
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset']) {
      const answer = await post(server.url, requestBody('daprovider_getMaxMessageSize'), { headers: type === undefined ? { 'content-type': '' } : { 'content-type': type } });
      expect(answer.status, String(type)).toBe(415);
      expect(answer.text).toBe('invalid content type, only application/json is supported\n');
    }
    const big = requestBody('daprovider_store', [hex(new Uint8Array(BODY_LIMIT)), u64(1)]);
    const tooLarge = await post(small.url, big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.text).toBe(`content length too large (${Buffer.byteLength(big)}>${BODY_LIMIT})\n`);
  });

  it('accepts every content type geth accepts, on any path', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/json-rpc', 'application/jsonrequest']) {
      const response = await fetch(`${server.url}/any/path?x=1`, { method: 'POST', headers: { 'content-type': type }, body: requestBody('daprovider_getMaxMessageSize', [], 1) });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{"jsonrpc":"2.0","id":1,"result":{"maxSize":1000000}}');
    }
  });

  it('cuts a chunked body at the limit like io.LimitReader, which ends in a parse error', async () => {
    const body = requestBody('daprovider_store', [hex(new Uint8Array(BODY_LIMIT)), u64(1)]);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(body);
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192));
        controller.close();
      },
    });
    const response = await fetch(small.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(rpcError('null', -32700, 'parse error'));
  });
});

describe('JSON-RPC robustness', () => {
  it('answers malformed JSON, empty bodies and non-requests without crashing', async () => {
    expect((await post(server.url, '{"jsonrpc":"2.0","id":1,"method":')).text).toBe(rpcError('null', -32700, 'parse error'));
    expect((await post(server.url, '\u0000\u00ff')).text).toBe(rpcError('null', -32700, 'parse error'));
    expect((await post(server.url, '  \n')).text).toBe('');
    expect((await post(server.url, '[]')).text).toBe(rpcError('null', -32600, 'empty batch'));
    expect((await post(server.url, '"daprovider_store"')).text).toBe(rpcError('null', -32600, 'invalid request'));
    expect((await post(server.url, '{"jsonrpc":"2.0","method":"daprovider_getMaxMessageSize"}')).text).toBe(''); // a notification
    const still = await call(server.url, 'daprovider_getSupportedHeaderBytes');
    expect(still.endsWith('"result":{"headerBytes":"0x01"}}')).toBe(true);
  });

  it('answers batches in order', async () => {
    const body = `[${requestBody('daprovider_getSupportedHeaderBytes', [], 1)},${requestBody('daprovider_nope', [], 2)},${requestBody('daprovider_getMaxMessageSize', [], 3)}]`;
    expect((await post(server.url, body)).text).toBe(
      `[{"jsonrpc":"2.0","id":1,"result":{"headerBytes":"0x01"}},${rpcError('2', -32601, 'the method daprovider_nope does not exist/is not available')},{"jsonrpc":"2.0","id":3,"result":{"maxSize":1000000}}]`,
    );
  });

  it('rejects wrong param types and counts for every method with geth’s messages', async () => {
    const t = (type: string, what: string) => `json: cannot unmarshal ${what} into Go value of type ${type}`;
    const h32 = ZERO_HASH;
    const cases: [string, string[], string][] = [
      ['daprovider_getSupportedHeaderBytes', ['"0x1"'], 'too many arguments, want at most 0'],
      ['daprovider_getMaxMessageSize', ['1'], 'too many arguments, want at most 0'],
      ['daprovider_store', [], 'missing value for required argument 0'],
      ['daprovider_store', ['"0x00"'], 'missing value for required argument 1'],
      ['daprovider_store', ['"00"', '"0x1"'], `invalid argument 0: ${t('hexutil.Bytes', 'hex string without 0x prefix')}`],
      ['daprovider_store', ['"0x0"', '"0x1"'], `invalid argument 0: ${t('hexutil.Bytes', 'hex string of odd length')}`],
      ['daprovider_store', ['"0x00"', '"0x01"'], `invalid argument 1: ${t('hexutil.Uint64', 'hex number with leading zero digits')}`],
      ['daprovider_store', ['"0x00"', '1'], `invalid argument 1: ${t('hexutil.Uint64', 'non-string')}`],
      ['daprovider_store', ['"0x00"', '"0x1"', '"0x1"'], 'too many arguments, want at most 2'],
      ['daprovider_recoverPayload', ['"0x1"', '"0x00"', '"0x00"'], 'invalid argument 1: hex string has length 2, want 64 for common.Hash'],
      ['daprovider_collectPreimages', ['"0x"', h32, '"0x00"'], `invalid argument 0: ${t('hexutil.Uint64', 'hex string \\"0x\\"')}`],
      ['daprovider_recoverPayloadAndPreimages', ['"0x1"', h32], 'missing value for required argument 2'],
      ['daprovider_startChunkedStore', ['"0x1"', '"0x1"', '"0x1"', '"0x1"', '"0x1"'], 'missing value for required argument 5'],
      ['daprovider_sendChunk', ['"0x1"', '"0x1"', 'null', '"0x"'], `invalid argument 2: ${t('hexutil.Bytes', 'non-string')}`],
      ['daprovider_commitChunkedStore', ['"0x1"', '{}'], `invalid argument 1: ${t('hexutil.Bytes', 'non-string')}`],
      ['daprovider_generateReadPreimageProof', ['"0x1g"', '"0x01"'], `invalid argument 0: ${t('hexutil.Uint64', 'invalid hex string')}`],
      ['daprovider_generateCertificateValidityProof', [], 'missing value for required argument 0'],
    ];
    for (const [method, params, message] of cases) {
      const text = await call(server.url, method, params);
      expect(JSON.parse(text), `${method}(${params.join(',')})`).toMatchObject({ error: { code: -32602, message: message.replace(/\\"/g, '"') } });
    }
    const objectParams = await post(server.url, '{"jsonrpc":"2.0","id":9,"method":"daprovider_store","params":{"message":"0x00"}}');
    expect(objectParams.text).toBe(rpcError('9', -32602, 'non-array args'));
  });
});

describe('without a chains file', () => {
  it('serves every path but /chains/… as before, and answers /chains/… with 400', async () => {
    const body = requestBody('daprovider_getSupportedHeaderBytes', [], 1);
    expect((await post(`${server.url}/any/path?x=1`, body)).text).toBe('{"jsonrpc":"2.0","id":1,"result":{"headerBytes":"0x01"}}');
    for (const path of ['/chains/alpha', '/chains', '/chains/']) {
      const answer = await post(`${server.url}${path}`, body);
      expect(answer.status, path).toBe(400);
      expect(answer.text.endsWith('\n')).toBe(true);
    }
    expect((await post(`${guarded.url}/chains/alpha`, body, { jwtSecret: secret })).status).toBe(400);
  });
});

describe('JWT (--node.da.external-provider.rpc.jwtsecret)', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('serves requests carrying the token Nitro sends', async () => {
    const answer = await post(guarded.url, requestBody('daprovider_getSupportedHeaderBytes', [], 1), { jwtSecret: secret });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"jsonrpc":"2.0","id":1,"result":{"headerBytes":"0x01"}}');
  });

  it('rejects missing, stale, future and wrong-key tokens with 401', async () => {
    const body = requestBody('daprovider_getMaxMessageSize');
    const cases: [Record<string, string>, string][] = [
      [{}, 'missing token'],
      [{ authorization: `Bearer ${await jwt(secret, now() - 120)}` }, 'stale token'],
      [{ authorization: `Bearer ${await jwt(secret, now() + 120)}` }, 'future token'],
      [{ authorization: `Bearer ${await jwt(new Uint8Array(randomBytes(32)))}` }, 'signature is invalid'],
      [{ authorization: 'Bearer not.a.token' }, 'token is malformed'],
    ];
    for (const [headers, reason] of cases) {
      const answer = await post(guarded.url, body, { headers });
      expect(answer.status, reason).toBe(401);
      expect(answer.text.startsWith(reason)).toBe(true);
    }
    expect((await fetch(guarded.url)).status).toBe(401); // geth checks the token before the health shortcut
  });
});
