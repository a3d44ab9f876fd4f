// The status a storage node reports for a blob id, folded from the live Blob objects the way
// walrus crates/walrus-service/src/node/storage/blob_info/blob_info_v1.rs `to_blob_status` does:
// a certified permanent object wins, then a registered permanent one, then deletable counts.
// Expired objects (end_epoch ≤ current epoch) no longer count.
import type { BlobObject, BlobStatus, EventId } from './types.ts';

export function blobStatus(objects: readonly BlobObject[], currentEpoch: number): BlobStatus {
  const live = objects.filter((o) => o.storage.endEpoch > currentEpoch);
  const certifiedEpochs = live.flatMap((o) => (o.certifiedEpoch === null ? [] : [o.certifiedEpoch]));
  const initialCertifiedEpoch = certifiedEpochs.length > 0 ? Math.min(...certifiedEpochs) : null;
  const deletable = live.filter((o) => o.deletable);
  const deletableCounts = {
    count_deletable_total: deletable.length,
    count_deletable_certified: deletable.filter((o) => o.certifiedEpoch !== null).length,
  };
  const permanent = live.filter((o) => !o.deletable);
  const longest = (candidates: readonly BlobObject[], event: (o: BlobObject) => EventId | null) => {
    let best: { endEpoch: number; event: EventId } | undefined;
    for (const o of candidates) {
      const id = event(o);
      if (id && (!best || o.storage.endEpoch > best.endEpoch)) best = { endEpoch: o.storage.endEpoch, event: id };
    }
    return best;
  };
  const certified = longest(permanent, (o) => o.certifiedEvent);
  const registered = certified ?? longest(permanent, (o) => o.registeredEvent);
  if (registered) {
    return {
      permanent: {
        endEpoch: registered.endEpoch,
        isCertified: certified !== undefined,
        statusEvent: registered.event,
        deletableCounts,
        initialCertifiedEpoch,
      },
    };
  }
  if (deletableCounts.count_deletable_total > 0) return { deletable: { initialCertifiedEpoch, deletableCounts } };
  return 'nonexistent';
}

/** Whether nodes accept metadata, slivers and confirmation requests for the blob id. */
export function isRegistered(status: BlobStatus): boolean {
  return status !== 'nonexistent';
}
