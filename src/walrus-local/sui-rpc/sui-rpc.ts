// A Sui JSON-RPC 2.0 endpoint (POST /, single requests and batch arrays) serving the subset of
// methods @mysten/sui's JSON-RPC client needs to read Walrus Blob objects, events, the current
// Walrus epoch and the committee's StakingPool objects. Unknown methods get -32601, malformed
// requests -32600, bad JSON -32700.
import type { Logger } from '../../observability/logger.ts';
import { GLOBAL_DOMAIN } from '../http/api-status.ts';
import { HttpEndpoint } from '../http/endpoint.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { SuiRpcError, suiRpcMethods, type RpcHandler } from './rpc-methods.ts';
import { WalrusObjects } from './walrus-objects.ts';

export interface SuiRpcOptions {
  readonly ledger: Ledger;
  /** Storage node i's `host:port`, advertised in its StakingPool's `node_info.network_address`. */
  readonly nodeAddresses: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
}

type JsonRpcId = string | number | null;
type JsonRpcResponse = { jsonrpc: '2.0'; id: JsonRpcId } & ({ result: unknown } | { error: { code: number; message: string } });

/** Bodies are JSON requests; batches of reads stay small. */
const BODY_LIMIT = 1024 * 1024;
const MAX_BATCH = 50;

export class SuiRpc {
  readonly objects: WalrusObjects;
  readonly #endpoint: HttpEndpoint;

  constructor(options: SuiRpcOptions) {
    this.objects = new WalrusObjects(options.ledger, options.nodeAddresses);
    const methods = suiRpcMethods(options.ledger, this.objects);
    this.#endpoint = new HttpEndpoint({
      name: 'sui json-rpc',
      host: options.host,
      port: options.port,
      bodyLimit: BODY_LIMIT,
      errorDomain: GLOBAL_DOMAIN,
      logger: options.logger,
      routes: (app) => {
        app.post('/', (request, reply) => {
          const body = request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : '';
          void reply.type('application/json');
          return handleBody(body, methods, options.logger);
        });
      },
    });
  }

  get url(): string {
    return this.#endpoint.url;
  }

  get running(): boolean {
    return this.#endpoint.running;
  }

  start(): Promise<void> {
    return this.#endpoint.start();
  }

  stop(): Promise<void> {
    return this.#endpoint.stop();
  }
}

export function handleBody(body: string, methods: Readonly<Record<string, RpcHandler>>, logger: Logger): JsonRpcResponse | JsonRpcResponse[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } };
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0 || parsed.length > MAX_BATCH) {
      return { jsonrpc: '2.0', id: null, error: { code: -32600, message: `Invalid request: a batch holds 1 to ${MAX_BATCH} requests` } };
    }
    return parsed.map((request) => handleRequest(request, methods, logger));
  }
  return handleRequest(parsed, methods, logger);
}

function handleRequest(request: unknown, methods: Readonly<Record<string, RpcHandler>>, logger: Logger): JsonRpcResponse {
  const r = (typeof request === 'object' && request !== null ? request : {}) as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  const id: JsonRpcId = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null;
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || (r.params !== undefined && !Array.isArray(r.params))) {
    return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid request: expected {"jsonrpc":"2.0","method":string,"params":array}' } };
  }
  const handler = Object.hasOwn(methods, r.method) ? methods[r.method] : undefined;
  if (!handler) return { jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${r.method} is not served by walrus-local` } };
  try {
    return { jsonrpc: '2.0', id, result: handler((r.params ?? []) as unknown[]) };
  } catch (error) {
    if (error instanceof SuiRpcError) return { jsonrpc: '2.0', id, error: { code: error.code, message: error.message } };
    logger.error({ err: error, method: r.method }, 'sui json-rpc: unexpected error');
    return { jsonrpc: '2.0', id, error: { code: -32603, message: `Internal error: ${(error as Error).message}` } };
  }
}
