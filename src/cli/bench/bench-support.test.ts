import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttp, httpRequest } from './bench-support.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow') return; // never answers
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.writeHead(201).end(Buffer.concat([Buffer.from('got:'), ...chunks])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  closeHttp();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpRequest (bench client)', () => {
  it('returns the status and the body of an answer', async () => {
    const answer = await httpRequest(`${base}/put`, { method: 'POST', body: new TextEncoder().encode('abc'), timeoutMs: 5000 });
    expect(answer.status).toBe(201);
    expect(new TextDecoder().decode(answer.body)).toBe('got:abc');
  });

  it('fails a request past its own deadline instead of waiting', async () => {
    await expect(httpRequest(`${base}/slow`, { timeoutMs: 100 })).rejects.toThrow('no answer within 100 ms');
  });
});
