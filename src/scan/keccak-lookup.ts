// OP Stack keccak commitments name only a hash: the data lives on the DA server the batcher used.
// Read it as op-node does (optimism d317e96c2add4a4e7fae72d6637ad241457f16c7 op-alt-da/daclient.go
// `GetInput`: GET <url>/get/0x<0x00 ‖ keccak>) and check the hash (op-alt-da/commitment.go
// `Keccak256Commitment.Verify`).
import { bytesToBareHex, equalBytes } from '../bytes/index.ts';
import { keccak256 } from '../commitment/index.ts';
import type { VerificationStep } from '../core/index.ts';

export interface KeccakLookup {
  readonly verdict: 'valid' | 'invalid' | 'unavailable';
  readonly reason: string;
  readonly steps: readonly VerificationStep[];
  /** The bytes, when they hash to the commitment. */
  readonly data?: Uint8Array;
}

export async function lookupKeccak(
  daServerUrl: string,
  keccak: Uint8Array,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number } = {},
): Promise<KeccakLookup> {
  const hex = bytesToBareHex(keccak);
  const decode: VerificationStep = { step: 'decode', ok: true, reason: `keccak commitment 0x${hex}`, facts: { keccak: `0x${hex}` } };
  let request: { url: URL; headers: Record<string, string>; source: string };
  try {
    request = getInputRequest(daServerUrl, hex);
  } catch {
    return { verdict: 'unavailable', reason: 'data: the DA server URL is not a URL', steps: [decode, { step: 'data', ok: false, reason: 'the DA server URL is not a URL' }] };
  }
  const source = request.source;
  const failed = (verdict: 'invalid' | 'unavailable', reason: string, facts: Record<string, string | number> = {}): KeccakLookup => ({
    verdict,
    reason: `data: ${reason}`,
    steps: [decode, { step: 'data', ok: false, reason, facts: { source, ...facts } }],
  });

  let response: Response;
  let data: Uint8Array;
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
    response = await fetch(request.url, { headers: request.headers, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
    data = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const text = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
    return failed('unavailable', `the DA server could not be read: ${text.replaceAll(request.url.href, source)}`);
  }
  if (response.status === 404) return failed('unavailable', 'the DA server has no data for this keccak (404)', { status: 404 });
  if (response.status !== 200) return failed('unavailable', `the DA server answered ${response.status}`, { status: response.status });
  if (!equalBytes(keccak256(data), keccak)) {
    return failed('invalid', `the DA server's ${data.length} bytes hash to 0x${bytesToBareHex(keccak256(data))}`, { length: data.length });
  }
  return {
    verdict: 'valid',
    reason: `${data.length} bytes from the DA server hash to the committed keccak`,
    steps: [decode, { step: 'data', ok: true, reason: `${data.length} bytes from ${source} hash to the committed keccak`, facts: { source, length: data.length } }],
    data,
  };
}

/**
 * The GET op-node sends, with user:password moved into a Basic header (fetch refuses URLs with
 * credentials) and a `source` text that never echoes credentials, paths or queries into reports.
 */
function getInputRequest(daServerUrl: string, hex: string): { url: URL; headers: Record<string, string>; source: string } {
  const url = new URL(daServerUrl);
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/get/0x00${hex}`;
  return { url, headers, source: `${url.protocol}//${url.host} GET /get/0x00…` };
}
