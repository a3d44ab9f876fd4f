// walrus-local: an embedded Walrus network that speaks Walrus's own HTTP APIs (publisher,
// aggregator, storage nodes) and the Sui JSON-RPC reads @mysten/sui needs, with real RS2 slivers
// from @mysten/walrus-wasm and real BLS12-381 certificates. See README "walrus-local".
export { startWalrusLocal, type CertificateFault, type CommitteeMemberInfo, type NodeFault, type WalrusLocal, type WalrusLocalInfo } from './walrus-local.ts';
export { MAX_MAX_EPOCHS_AHEAD, type WalrusLocalOptions } from './options.ts';
