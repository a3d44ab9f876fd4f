// The HTTP calls op-batcher and op-node make (optimism op-alt-da/daclient.go), over real fetch.
import { randomBytes } from 'node:crypto';

export interface PutAnswer {
  readonly status: number;
  readonly body: Uint8Array;
}

/** `setInput` in generic ("da-service") mode: POST {url}/put, raw body, raw commitment back. */
export async function putGeneric(base: string, frame: Uint8Array, path = '/put', method = 'POST'): Promise<PutAnswer> {
  const response = await fetch(`${base}${path}`, { method, body: frame, headers: { 'content-type': 'application/octet-stream' } });
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
}

/** `GetInput`: GET {url}/get/0x{hex(commitment)}. */
export async function getInput(base: string, commitment: Uint8Array | string): Promise<PutAnswer> {
  const hex = typeof commitment === 'string' ? commitment : `0x${Buffer.from(commitment).toString('hex')}`;
  const response = await fetch(`${base}/get/${hex}`);
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
}

/** A batcher frame as op-batcher PUTs it: 0x00 (DerivationVersion0) ‖ frame bytes. */
export function batcherFrame(length: number): Uint8Array {
  const frame = randomBytes(length);
  frame[0] = 0x00;
  return new Uint8Array(frame);
}
