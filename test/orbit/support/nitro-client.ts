// What a Nitro v3.10 node sends to its external DA provider, reproduced byte for byte over real
// fetch: go-ethereum's rpc.Client encoding (`{"jsonrpc":"2.0","id":N,"method":…,"params":[…]}`,
// params left out when there are none), nitro daprovider/daclient/daclient.go's argument types,
// and the chunked sender of daprovider/data_streaming/sender.go, whose request signatures come
// from nitro-signing.ts (Nitro's definition, not the receiver's).
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { nitroChunkSignature, nitroCommitSignature, nitroStartSignature } from './nitro-signing.ts';

export interface RpcAnswer {
  readonly status: number;
  readonly contentType: string | null;
  /** The response body exactly as received. */
  readonly text: string;
}

export interface CallOptions {
  /** HS256 secret: adds `Authorization: Bearer <jwt>` as go-ethereum's NewJWTAuth does. */
  readonly jwtSecret?: Uint8Array;
  /** Override the token's `iat` (seconds). */
  readonly iat?: number;
}

let nextId = 1;

/** A request body as go-ethereum's client marshals it. `params` items are JSON texts. */
export function requestBody(method: string, params: readonly string[] = [], id = nextId++): string {
  const tail = params.length === 0 ? '' : `,"params":[${params.join(',')}]`;
  return `{"jsonrpc":"2.0","id":${id},"method":"${method}"${tail}}`;
}

/** POSTs a raw body with the headers go-ethereum's HTTP client sends. */
export async function post(url: string, body: string, options: CallOptions & { readonly headers?: Record<string, string> } = {}): Promise<RpcAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
  if (options.jwtSecret) headers.authorization = `Bearer ${await jwt(options.jwtSecret, options.iat)}`;
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** One call; resolves with the raw response body. */
export async function call(url: string, method: string, params: readonly string[] = [], options: CallOptions = {}): Promise<string> {
  const answer = await post(url, requestBody(method, params), options);
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.text}`);
  return answer.text;
}

/** The `result` of a call, or throws with the JSON-RPC error message. */
export async function result<T>(url: string, method: string, params: readonly string[] = [], options: CallOptions = {}): Promise<T> {
  const parsed = JSON.parse(await call(url, method, params, options)) as { result?: T; error?: { code: number; message: string } };
  if (parsed.error) throw new RpcCallError(parsed.error.code, parsed.error.message);
  return parsed.result as T;
}

export class RpcCallError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export const hex = (bytes: Uint8Array): string => `"0x${Buffer.from(bytes).toString('hex')}"`;
export const u64 = (value: bigint | number): string => `"0x${BigInt(value).toString(16)}"`;
export const ZERO_HASH = `"0x${'00'.repeat(32)}"`;

/** The 40-byte sequencer-message header the SequencerInbox prepends (5 × u64 BE). */
export function sequencerMessage(certificate: Uint8Array, header: readonly bigint[] = [1_750_000_000n, 1_750_000_100n, 21_000_000n, 21_000_010n, 7n]): Uint8Array {
  const out = new Uint8Array(40 + certificate.length);
  const view = new DataView(out.buffer);
  header.forEach((field, i) => view.setBigUint64(8 * i, field));
  out.set(certificate, 40);
  return out;
}

/** Params of the three read methods as daclient sends them: batchNum, a zero block hash, sequencerMsg. */
export function readParams(certificate: Uint8Array, batchNum = 42): string[] {
  return [u64(batchNum), ZERO_HASH, hex(sequencerMessage(certificate))];
}

/** A batch as the batch poster stores it: 0x00 (brotli header byte) ‖ incompressible bytes. */
export function brotliLikeBatch(length: number): Uint8Array {
  const batch = new Uint8Array(randomBytes(length));
  batch[0] = 0x00;
  return batch;
}

/** go-ethereum node/jwt_auth.go: HS256, `{"iat": now}`. */
export function jwt(secret: Uint8Array, iat = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT({ iat }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
}

/** sender.go calculateEffectiveChunkSize for `daprovider_sendChunk` and a 5 MiB body: 2,621,144. */
export function nitroChunkSize(maxStoreChunkBodySize = 5 * 1024 * 1024, streamChunkMethod = 'daprovider_sendChunk'): number {
  const jsonOverhead = '{"jsonrpc":"2.0","id":4294967295,"method":"","params":[""]}'.length + streamChunkMethod.length;
  return Math.floor((maxStoreChunkBodySize - jsonOverhead - 512) / 2);
}

/** sender.go StreamData: start, every chunk in parallel, commit; resolves with the commit's raw response. */
export async function streamStore(url: string, data: Uint8Array, timeout: bigint, options: CallOptions & { readonly chunkSize?: number } = {}): Promise<string> {
  const chunkSize = BigInt(options.chunkSize ?? nitroChunkSize());
  const dataLen = BigInt(data.length);
  const nChunks = (dataLen + chunkSize - 1n) / chunkSize;
  const timestamp = BigInt(Math.floor(Date.now() / 1000));
  const startSig = nitroStartSignature({ timestamp, nChunks, chunkSize, totalSize: dataLen, timeout });
  const started = await result<{ BatchId: string }>(url, 'daprovider_startChunkedStore', [u64(timestamp), u64(nChunks), u64(chunkSize), u64(dataLen), u64(timeout), hex(startSig)], options);
  const id = BigInt(started.BatchId);
  const size = Number(chunkSize);
  await Promise.all(
    Array.from({ length: Number(nChunks) }, async (_, i) => {
      const chunk = data.subarray(i * size, (i + 1) * size);
      const sent = await result<null>(url, 'daprovider_sendChunk', [u64(id), u64(i), hex(chunk), hex(nitroChunkSignature(id, BigInt(i), chunk))], options);
      if (sent !== null) throw new Error(`sendChunk answered ${JSON.stringify(sent)}`);
    }),
  );
  return call(url, 'daprovider_commitChunkedStore', [u64(id), hex(nitroCommitSignature(id))], options);
}

/** Bytes of a `0x…` hex string. */
export function fromHex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/^0x/, ''), 'hex'));
}
