// The HTTP calls op-batcher and op-node make (optimism op-alt-da/daclient.go), over real fetch, with
// the URL handling of Go's net/http: the base URL may carry `user:password@` (as
// `--altda.da-server=http://<chain>:<secret>@host:3100/chains/<chain>` does), which Go never puts
// on the wire but turns into `Authorization: Basic base64(user ":" password)`, user and password
// percent-decoded and split at the first ':' (golang/go@011829989365218ba4532e86ab0b6702971daab3
// src/net/url/url.go parseAuthority; golang/go@076c3d7f077ff0f8d02675b66b9794bbff8d2147
// src/net/http/client.go send and basicAuth).
import { randomBytes } from 'node:crypto';

export interface PutAnswer {
  readonly status: number;
  readonly body: Uint8Array;
  readonly headers: Headers;
}

// url.go validUserinfo: unreserved, sub-delims, ':', '%' and '@'; anything else (raw non-ASCII
// included) makes url.Parse fail, so the operator must percent-encode it.
const GO_USERINFO = /^[A-Za-z0-9\-._~!$&'()*+,;=:%@]*$/;

/** A URL as Go's client sends it: the URL without its userinfo, and the header derived from it. */
export function goRequest(url: string): { readonly url: string; readonly headers: Record<string, string> } {
  const match = /^(https?:\/\/)([^/?#]*)(.*)$/s.exec(url);
  if (!match) throw new Error(`not an http URL: ${url}`);
  const [, scheme = '', authority = '', rest = ''] = match;
  const at = authority.lastIndexOf('@');
  if (at < 0) return { url, headers: {} };
  const userinfo = authority.slice(0, at);
  if (!GO_USERINFO.test(userinfo)) throw new Error('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  const user = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decodeURIComponent(userinfo.slice(colon + 1));
  return {
    url: `${scheme}${authority.slice(at + 1)}${rest}`,
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` },
  };
}

/** `http://<user>:<password>@…` with both parts percent-encoded, as an operator writes it for Go. */
export function withUserinfo(base: string, user: string, password: string): string {
  return base.replace(/^(https?:\/\/)/, `$1${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);
}

async function goFetch(url: string, init: RequestInit = {}): Promise<PutAnswer> {
  const request = goRequest(url);
  const response = await fetch(request.url, { ...init, headers: { ...request.headers, ...(init.headers as Record<string, string> | undefined) } });
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

/** `setInput` in generic ("da-service") mode: POST {url}/put, raw body, raw commitment back. */
export function putGeneric(base: string, frame: Uint8Array, path = '/put', method = 'POST'): Promise<PutAnswer> {
  return goFetch(`${base}${path}`, { method, body: frame, headers: { 'content-type': 'application/octet-stream' } });
}

/** `GetInput`: GET {url}/get/0x{hex(commitment)}. */
export function getInput(base: string, commitment: Uint8Array | string): Promise<PutAnswer> {
  const hex = typeof commitment === 'string' ? commitment : `0x${Buffer.from(commitment).toString('hex')}`;
  return goFetch(`${base}/get/${hex}`);
}

/** A batcher frame as op-batcher PUTs it: 0x00 (DerivationVersion0) ‖ frame bytes. */
export function batcherFrame(length: number): Uint8Array {
  const frame = randomBytes(length);
  frame[0] = 0x00;
  return new Uint8Array(frame);
}
