// Picks the @mysten/sui client for the configured transport. The adapters only use the client's
// transport-agnostic `core` API, so any of the three works; walrus-local serves JSON-RPC.
import type { ClientWithCoreApi } from '@mysten/sui/client';
import { SuiGraphQLClient } from '@mysten/sui/graphql';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';

export type SuiTransport = 'jsonrpc' | 'grpc' | 'graphql';

export function createSuiClient(transport: SuiTransport, url: string, network: string): ClientWithCoreApi {
  switch (transport) {
    case 'jsonrpc':
      return new SuiJsonRpcClient({ url, network });
    case 'grpc':
      return new SuiGrpcClient({ baseUrl: url, network });
    case 'graphql':
      return new SuiGraphQLClient({ url, network });
  }
}
