// The storage-node check behind /health's write and read capability: the committee as Sui names
// it (through @mysten/walrus, src/walrus/nodes/committee.ts), each node asked for its health.
// TODO(coordinator): once compose exposes the CommitteeSource it builds for node reads, take that
// one instead of looking the committee up a second time.
import type { ClientWithCoreApi } from '@mysten/sui/client';
import { CommitteeSource } from '../walrus/nodes/committee.ts';
import { CommitteeHealthCheck } from '../walrus/nodes/committee-health.ts';
import type { WalrusEndpoints } from './compose.ts';

export function storageNodeHealth(endpoints: WalrusEndpoints, sui: ClientWithCoreApi): CommitteeHealthCheck {
  const committee = CommitteeSource.fromSui({
    sui,
    systemObjectId: endpoints.systemObjectId,
    stakingObjectId: endpoints.stakingObjectId,
    // walrus-local's nodes speak plain HTTP on loopback; real ones HTTPS.
    urlScheme: endpoints.network === 'localnet' ? 'http' : 'https',
  });
  return new CommitteeHealthCheck({ committee });
}
