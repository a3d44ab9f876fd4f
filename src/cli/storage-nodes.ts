// The storage-node check behind /health's write and read capability: the committee as Sui names
// it (through @mysten/walrus, src/walrus/nodes/committee.ts), each node asked for its health.
import { WalrusClient } from '@mysten/walrus';
import type { SuiTransport } from './sui-client.ts';
import { createSuiClient } from './sui-client.ts';
import { CommitteeSource } from '../walrus/nodes/committee.ts';
import { CommitteeHealthCheck } from '../walrus/nodes/committee-health.ts';
import type { WalrusEndpoints } from './compose.ts';

export function storageNodeHealth(endpoints: WalrusEndpoints, transport: SuiTransport, embedded: boolean): CommitteeHealthCheck {
  const sui = createSuiClient(embedded ? 'jsonrpc' : transport, endpoints.suiRpcUrl, endpoints.network);
  const walrus = new WalrusClient({
    suiClient: sui,
    packageConfig: { systemObjectId: endpoints.systemObjectId, stakingPoolId: endpoints.stakingObjectId },
  });
  // walrus-local's nodes speak plain HTTP on loopback; real ones HTTPS.
  return new CommitteeHealthCheck({ committee: new CommitteeSource({ walrus, sui, urlScheme: embedded ? 'http' : 'https' }) });
}
