// Public surface of the core: the service, its ports, domain types and errors.
export {
  MAX_EPOCHS_AHEAD,
  assessBlobObject,
  epochStartMs,
  epochsForWindow,
  judgeBlobObject,
  normalizeType,
  type AvailabilityRequirements,
  type ObjectVerdict,
} from './availability.ts';
export { Admission, type ChainLimits, type Refusal, type Release } from './admission.ts';
export { ChainDirectory, DEFAULT_CHAIN, type ChainAccess, type ChainClaim, type ChainEntry } from './chains.ts';
export { DaService, type DaServiceOptions, type GetResult, type HealthReport, type PutResult } from './da-service.ts';
export * from './errors.ts';
export { judgeNodeRead, type NodeVerdict } from './node-verdict.ts';
export type { CoreLogger, LogFn } from './logger.ts';
export type * from './ports.ts';
export type * from './types.ts';
