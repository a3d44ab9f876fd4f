// keccak-mode reads against a loopback HTTP server shaped like a DA server's GET /get/0x00<keccak>.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToBareHex } from '../bytes/index.ts';
import { keccak256 } from '../commitment/index.ts';
import { lookupKeccak } from './keccak-lookup.ts';

/** `expect.stringContaining`, typed for object matchers. */
const containing = (text: string) => expect.stringContaining(text) as string;

const frame = new TextEncoder().encode('a batcher frame');
const liar = new Uint8Array(32).fill(0x77); // the server answers this keccak with `frame`
let server: Server;
let base: string;
const paths: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    paths.push(request.url ?? '');
    const wanted = [keccak256(frame), liar].map((k) => `/get/0x00${bytesToBareHex(k)}`);
    if (request.url === wanted[0] || request.url === wanted[1]) response.end(frame);
    else if (request.url?.includes('5555')) response.writeHead(503).end();
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('lookupKeccak', () => {
  it('fetches GET /get/0x00<keccak> and accepts bytes that hash to it', async () => {
    const found = await lookupKeccak(base, keccak256(frame));
    expect(found).toMatchObject({ verdict: 'valid', data: frame, steps: [{ step: 'decode', ok: true }, { step: 'data', ok: true, facts: { length: frame.length } }] });
    expect(paths.at(-1)).toBe(`/get/0x00${bytesToBareHex(keccak256(frame))}`);
  });

  it('calls bytes with another hash invalid, missing or unreachable data unavailable', async () => {
    expect(await lookupKeccak(base, liar)).toMatchObject({ verdict: 'invalid', reason: containing('hash to 0x') });
    expect(await lookupKeccak(base, new Uint8Array(32))).toMatchObject({ verdict: 'unavailable', reason: containing('404') });
    expect(await lookupKeccak(base, new Uint8Array(32).fill(0x55))).toMatchObject({ verdict: 'unavailable', reason: containing('503') });
    expect(await lookupKeccak('http://127.0.0.1:9', new Uint8Array(32))).toMatchObject({ verdict: 'unavailable', reason: containing('could not be read') });
  });

  it('keeps credentials in the URL out of the report', async () => {
    const found = await lookupKeccak(base.replace('http://', 'http://user:secret@').replace(/\/$/, '/?key=hunter2'), new Uint8Array(32));
    expect(found.verdict).toBe('unavailable');
    expect(paths.at(-1)).toBe(`/get/0x00${'00'.repeat(32)}?key=hunter2`);
    expect(JSON.stringify(found)).not.toMatch(/secret|hunter2/);
    const unreachable = await lookupKeccak('http://user:secret@127.0.0.1:9/?key=hunter2', new Uint8Array(32));
    expect(JSON.stringify(unreachable)).not.toMatch(/secret|hunter2/);
  });
});
