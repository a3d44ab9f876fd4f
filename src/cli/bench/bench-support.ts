// What every benchmark shares: the machine it ran on, inputs nothing can cache, and the few
// statistics the JSON reports.
import { randomFillSync } from 'node:crypto';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus } from 'node:os';

export function machineInfo(): { node: string; cpus: number; cpuModel: string } {
  return { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown' };
}

/** Random bytes stamped with `seed`, so no blob of a run can reuse an earlier one's work. */
export function distinctBlob(size: number, seed: number): Uint8Array {
  const blob = randomFillSync(new Uint8Array(size));
  if (size >= 4) new DataView(blob.buffer).setUint32(0, seed);
  return blob;
}

export function round(value: number, digits = 0): number {
  return Number(value.toFixed(digits));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** p50, p99 and max, rounded to 0.1 (null when there are no values). */
export function percentiles(values: readonly number[]): { p50: number | null; p99: number | null; max: number | null } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 1));
  return { p50: at(0.5), p99: at(0.99), max: sorted.length ? round(sorted.at(-1) ?? 0, 1) : null };
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: Uint8Array;
}

// One keep-alive agent for every bench request, with no cap on sockets: each client keeps its own.
const agent = new Agent({ keepAlive: true });

/**
 * One HTTP request with a single deadline of our choosing. The bench does not use fetch: undici's
 * fixed 300 s headers timeout is within reach of a slow scenario's p99 under load, and its failure
 * would have to be told apart from the server's. Rejects on a network error or after `timeoutMs`.
 */
export function httpRequest(url: string, options: { readonly method?: string; readonly body?: Uint8Array; readonly headers?: Record<string, string>; readonly timeoutMs: number }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) });
      });
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Closes the bench's idle keep-alive sockets (so the process can exit). */
export function closeHttp(): void {
  agent.destroy();
}
