// Byte-exact transcripts: each request is what Nitro v3.10's daclient (go-ethereum rpc.Client)
// sends, each response what the Go types it decodes into produce (nitro
// daprovider/server_api/types.go, daprovider/reader.go, data_streaming/receiver.go; go-ethereum
// rpc/json.go, rpc/errors.go). The certificate's quilt id, columns and Sui object id come from
// walrus-local, so `${CERT}` stands for the 104-byte certificate store returned; everything else is
// literal. Payloads are base64 ("Payload", preimage values), certificates hex.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFramed, keccak256 } from '../../src/commitment/index.ts';
import type { RunningServer } from '../../src/protocols/orbit/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { startOrbitDoor, startStack, type Stack } from '../support/stack.ts';
import { fromHex, post } from './support/nitro-client.ts';
import { nitroChunkSignature, nitroCommitSignature, nitroStartSignature } from './support/nitro-signing.ts';

let stack: Stack;
let server: RunningServer;

beforeAll(async () => {
  stack = await startStack({ maxWaitMs: 50 });
  server = await startOrbitDoor(stack, { maxMessageSize: 10_485_760 });
});

afterAll(async () => {
  await server?.close();
  await stack?.close();
});

// A 5-byte batch: brotli header byte then 4 bytes; base64 "AN6tvu8=" exercises padding.
const BATCH = '0x00deadbeef';
const BATCH_B64 = 'AN6tvu8=';
const HEADER = `0x${'00000000684f3d80'}${'00000000684f3de4'}${'0000000001406f40'}${'0000000001406f4a'}${'0000000000000007'}`;
const ZERO_HASH = `0x${'00'.repeat(32)}`;

async function exchange(request: string): Promise<string> {
  const answer = await post(server.url, request);
  expect(answer.status).toBe(200);
  expect(answer.contentType).toBe('application/json');
  return answer.text;
}

describe('fixture transcripts (Go daclient ⇄ walrus-da)', () => {
  let cert = '';

  it('daprovider_getSupportedHeaderBytes', async () => {
    expect(await exchange('{"jsonrpc":"2.0","id":1,"method":"daprovider_getSupportedHeaderBytes"}')).toBe('{"jsonrpc":"2.0","id":1,"result":{"headerBytes":"0x01"}}');
  });

  it('daprovider_getMaxMessageSize', async () => {
    expect(await exchange('{"jsonrpc":"2.0","id":2,"method":"daprovider_getMaxMessageSize"}')).toBe('{"jsonrpc":"2.0","id":2,"result":{"maxSize":10485760}}');
  });

  it('daprovider_store, twice (idempotent)', async () => {
    const request = `{"jsonrpc":"2.0","id":3,"method":"daprovider_store","params":["${BATCH}","0x684f3d80"]}`;
    const response = await exchange(request);
    const match = /^\{"jsonrpc":"2\.0","id":3,"result":\{"serialized-da-cert":"(0x0157[0-9a-f]{204})"\}\}$/.exec(response);
    expect(match, response).not.toBeNull();
    cert = match![1]!;
    expect(decodeFramed(fromHex(cert), 'orbit').frameKeccak).toEqual(keccak256(fromHex(BATCH)));
    expect(await exchange(request)).toBe(response);
  });

  it('daprovider_recoverPayload', async () => {
    const request = `{"jsonrpc":"2.0","id":4,"method":"daprovider_recoverPayload","params":["0x2a","${ZERO_HASH}","${HEADER}${cert.slice(2)}"]}`;
    expect(await exchange(request)).toBe(`{"jsonrpc":"2.0","id":4,"result":{"Payload":"${BATCH_B64}"}}`);
  });

  it('daprovider_collectPreimages', async () => {
    const key = `0x${Buffer.from(keccak256(fromHex(cert))).toString('hex')}`;
    const request = `{"jsonrpc":"2.0","id":5,"method":"daprovider_collectPreimages","params":["0x2a","${ZERO_HASH}","${HEADER}${cert.slice(2)}"]}`;
    expect(await exchange(request)).toBe(`{"jsonrpc":"2.0","id":5,"result":{"Preimages":{"3":{"${key}":"${BATCH_B64}"}}}}`);
  });

  it('daprovider_recoverPayloadAndPreimages', async () => {
    const key = `0x${Buffer.from(keccak256(fromHex(cert))).toString('hex')}`;
    const request = `{"jsonrpc":"2.0","id":6,"method":"daprovider_recoverPayloadAndPreimages","params":["0x2a","${ZERO_HASH}","${HEADER}${cert.slice(2)}"]}`;
    expect(await exchange(request)).toBe(`{"jsonrpc":"2.0","id":6,"result":{"Payload":"${BATCH_B64}","Preimages":{"3":{"${key}":"${BATCH_B64}"}}}}`);
  });

  it('daprovider_startChunkedStore → sendChunk → commitChunkedStore', async () => {
    const batch = xorshift32Bytes(7, 10);
    batch[0] = 0;
    const ts = BigInt(Math.floor(Date.now() / 1000));
    const h = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
    const x = (n: bigint) => `0x${n.toString(16)}`;
    const startSig = nitroStartSignature({ timestamp: ts, nChunks: 2n, chunkSize: 6n, totalSize: 10n, timeout: 0x684f3d80n });
    const started = await exchange(`{"jsonrpc":"2.0","id":7,"method":"daprovider_startChunkedStore","params":["${x(ts)}","0x2","0x6","0xa","0x684f3d80","${h(startSig)}"]}`);
    const id = /^\{"jsonrpc":"2\.0","id":7,"result":\{"BatchId":"(0x[1-9a-f][0-9a-f]{0,15})"\}\}$/.exec(started)?.[1];
    expect(id, started).toBeDefined();
    for (const [i, chunk] of [batch.subarray(0, 6), batch.subarray(6)].entries()) {
      const sig = nitroChunkSignature(BigInt(id!), BigInt(i), chunk);
      expect(await exchange(`{"jsonrpc":"2.0","id":${8 + i},"method":"daprovider_sendChunk","params":["${id}","0x${i}","${h(chunk)}","${h(sig)}"]}`)).toBe(
        `{"jsonrpc":"2.0","id":${8 + i},"result":null}`,
      );
    }
    const committed = await exchange(`{"jsonrpc":"2.0","id":10,"method":"daprovider_commitChunkedStore","params":["${id}","${h(nitroCommitSignature(BigInt(id!)))}"]}`);
    const single = await exchange(`{"jsonrpc":"2.0","id":10,"method":"daprovider_store","params":["${h(batch)}","0x684f3d80"]}`);
    expect(committed).toMatch(/^\{"jsonrpc":"2\.0","id":10,"result":\{"serialized-da-cert":"0x0157[0-9a-f]{204}"\}\}$/);
    expect(committed).toBe(single);
  });

  it('daprovider_generateReadPreimageProof and daprovider_generateCertificateValidityProof', async () => {
    const reason = (m: string) =>
      `${m} is not supported: walrus-da has no on-chain proof validator (ICustomDAProofValidator) yet, so BoLD one-step proofs cannot be made for walrus-da batches; chains that need BoLD fraud proofs cannot use walrus-da yet`;
    expect(await exchange(`{"jsonrpc":"2.0","id":11,"method":"daprovider_generateReadPreimageProof","params":["0x20","${cert}"]}`)).toBe(
      `{"jsonrpc":"2.0","id":11,"error":{"code":-32000,"message":"${reason('generateReadPreimageProof')}"}}`,
    );
    expect(await exchange(`{"jsonrpc":"2.0","id":12,"method":"daprovider_generateCertificateValidityProof","params":["${cert}"]}`)).toBe(
      `{"jsonrpc":"2.0","id":12,"error":{"code":-32000,"message":"${reason('generateCertificateValidityProof')}"}}`,
    );
  });

  it('rpc_modules, and an unknown method with geth’s wording', async () => {
    expect(await exchange('{"jsonrpc":"2.0","id":13,"method":"rpc_modules"}')).toBe('{"jsonrpc":"2.0","id":13,"result":{"daprovider":"1.0","rpc":"1.0"}}');
    expect(await exchange('{"jsonrpc":"2.0","id":14,"method":"das_startChunkedStore","params":[]}')).toBe(
      '{"jsonrpc":"2.0","id":14,"error":{"code":-32601,"message":"the method das_startChunkedStore does not exist/is not available"}}',
    );
  });

  it('error sentinels Nitro matches on', async () => {
    const seq = (c: string) => `${HEADER}${c}`;
    expect(await exchange(`{"jsonrpc":"2.0","id":15,"method":"daprovider_recoverPayload","params":["0x2a","${ZERO_HASH}","${seq(`0158${cert.slice(6)}`)}"]}`)).toBe(
      `{"jsonrpc":"2.0","id":15,"error":{"code":-32000,"message":"certificate validation failed: foreign Orbit DA certificate: DA byte 0x58 is not this server's 0x57"}}`,
    );
    const big = `0x${'00'.repeat(10_485_761)}`;
    expect(await exchange(`{"jsonrpc":"2.0","id":16,"method":"daprovider_store","params":["${big}","0x684f3d80"]}`)).toBe(
      '{"jsonrpc":"2.0","id":16,"error":{"code":-32000,"message":"message too large for current DA backend: data of 10485761 bytes exceeds the limit of 10485760 bytes"}}',
    );
    expect(await exchange('{"jsonrpc":"2.0","id":17,"method":"daprovider_store","params":["0x","0x684f3d80"]}')).toBe(
      '{"jsonrpc":"2.0","id":17,"error":{"code":-32000,"message":"empty message: there is no batch to store"}}',
    );
  });
});
