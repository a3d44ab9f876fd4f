// The Sui JSON-RPC methods @mysten/sui's JSON-RPC client calls to read Walrus state
// (node_modules/@mysten/sui/dist/jsonRpc/client.mjs and core.mjs), answering in a full node's JSON
// shapes (sui-json-rpc-types; the TS mirror is @mysten/sui/dist/jsonRpc/types/generated.d.mts).
import { fromBase58 } from '@mysten/bcs';
import { normalizeStructTag } from '@mysten/sui/utils';
import { deriveDigest } from '../ids.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { LedgerEvent, LedgerTransaction } from '../ledger/types.ts';
import { normalizeAddress } from './move-value.ts';
import { rawTransaction } from './raw-transaction.ts';
import type { SuiObjectView, WalrusObjects } from './walrus-objects.ts';

/** A JSON-RPC error (codes of the JSON-RPC 2.0 spec, messages like a Sui full node's). */
export class SuiRpcError extends Error {
  override readonly name = 'SuiRpcError';
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export type RpcHandler = (params: readonly unknown[]) => unknown;

const MAX_PAGE = 50;
const ZERO_GAS = { computationCost: '0', storageCost: '0', storageRebate: '0', nonRefundableStorageFee: '0' };

export function suiRpcMethods(ledger: Ledger, objects: WalrusObjects): Readonly<Record<string, RpcHandler>> {
  const { genesis, seed } = ledger.network;
  const checkpointZero = deriveDigest(seed, 'checkpoint', 0);

  const getObject = (id: unknown, options: unknown) => {
    const objectId = objectIdParam(id);
    const view = objects.get(objectId);
    return view ? { data: objectData(view, flags(options)) } : { error: { code: 'notExists', object_id: objectId } };
  };

  const getTransaction = (digest: unknown, options: unknown) => {
    if (typeof digest !== 'string') throw invalidParams('transaction digest must be a string');
    const tx = ledger.transaction(digest);
    if (!tx) throw new SuiRpcError(-32602, `Could not find the referenced transaction [TransactionDigest(${digest})].`);
    return transactionBlock(tx, flags(options));
  };

  const transactionBlock = (tx: LedgerTransaction, show: Flags) => {
    const ref = (objectId: string) => {
      const view = objects.get(objectId);
      return { owner: view?.owner ?? { AddressOwner: genesis.publisherAddress }, reference: { objectId, version: String(view?.version ?? tx.sequence + 1), digest: view?.digest ?? tx.digest } };
    };
    const events = ledger.events().filter((e) => e.id.txDigest === tx.digest);
    return {
      digest: tx.digest,
      ...(show.showRawInput
        ? {
            rawTransaction: rawTransaction(tx, {
              packageId: genesis.packageId,
              systemObjectId: genesis.systemObjectId,
              sender: genesis.publisherAddress,
              objectRef: () => ({ version: tx.sequence, digest: tx.digest }),
            }),
          }
        : {}),
      ...(show.showInput
        ? {
            transaction: {
              data: {
                messageVersion: 'v1',
                transaction: {
                  kind: 'ProgrammableTransaction',
                  inputs: [
                    ...tx.objects.map((objectId) => ({ type: 'object', objectType: 'sharedObject', objectId, initialSharedVersion: '1', mutable: true })),
                    ...tx.inputs.map((input) => ({ type: 'pure', valueType: input.valueType, value: Array.from(Buffer.from(input.bcs, 'base64')) })),
                  ],
                  transactions: [{ MoveCall: { package: genesis.packageId, module: 'system', function: tx.function, arguments: tx.objects.concat(tx.inputs.map((i) => i.valueType)).map((_, i) => ({ Input: i })) } }],
                },
                sender: genesis.publisherAddress,
                gasData: { payment: [], owner: genesis.publisherAddress, price: '1000', budget: '0' },
              },
              txSignatures: [],
            },
          }
        : {}),
      ...(show.showEffects
        ? {
            effects: {
              messageVersion: 'v1',
              status: { status: 'success' },
              executedEpoch: String(tx.epoch),
              gasUsed: ZERO_GAS,
              transactionDigest: tx.digest,
              ...(tx.created.length > 0 ? { created: tx.created.map(ref) } : {}),
              ...(tx.mutated.length > 0 ? { mutated: tx.mutated.map(ref) } : {}),
              gasObject: { owner: { AddressOwner: genesis.publisherAddress }, reference: { objectId: normalizeAddress('0x0'), version: '0', digest: tx.digest } },
              ...(events.length > 0 ? { eventsDigest: deriveDigest(seed, 'events', tx.digest) } : {}),
              dependencies: [],
            },
          }
        : {}),
      ...(show.showEvents ? { events: events.map((e) => objects.event(e)) } : {}),
      ...(show.showObjectChanges
        ? {
            objectChanges: [
              ...tx.created.map((id) => ({ type: 'created', sender: genesis.publisherAddress, ...change(objects.get(id)) })),
              ...tx.mutated.map((id) => ({ type: 'mutated', sender: genesis.publisherAddress, previousVersion: String(tx.sequence), ...change(objects.get(id)) })),
            ],
          }
        : {}),
      ...(show.showBalanceChanges ? { balanceChanges: [] } : {}),
      timestampMs: String(tx.timestampMs),
      checkpoint: String(tx.sequence + 1),
    };
  };

  return {
    sui_getObject: ([id, options]) => getObject(id, options),
    sui_multiGetObjects: ([ids, options]) => {
      if (!Array.isArray(ids)) throw invalidParams('object ids must be an array');
      if (ids.length > MAX_PAGE) throw invalidParams(`at most ${MAX_PAGE} object ids per call`);
      return ids.map((id) => getObject(id, options));
    },
    suix_getDynamicFieldObject: ([parentId, name]) => {
      const parent = objectIdParam(parentId);
      const field = (typeof name === 'object' && name !== null ? name : {}) as { type?: unknown; value?: unknown };
      const view = objects.dynamicField(parent, field.type, field.value);
      return view ? { data: objectData(view, { showType: true, showOwner: true, showContent: true, showPreviousTransaction: true }) } : { error: { code: 'dynamicFieldNotFound', parent_object_id: parent } };
    },
    sui_getTransactionBlock: ([digest, options]) => getTransaction(digest, options),
    sui_multiGetTransactionBlocks: ([digests, options]) => {
      if (!Array.isArray(digests)) throw invalidParams('digests must be an array');
      return digests.map((digest) => getTransaction(digest, options));
    },
    suix_queryEvents: ([query, cursor, limit, descending]) => queryEvents(ledger.events(), objects, genesis.publisherAddress, query, cursor, limit, descending === true),
    sui_getChainIdentifier: () => Buffer.from(fromBase58(checkpointZero).subarray(0, 4)).toString('hex'),
    sui_getLatestCheckpointSequenceNumber: () => String(ledger.transactionCount()),
    sui_getCheckpoint: ([id]) => {
      const sequence = typeof id === 'string' && /^[0-9]+$/.test(id) ? Number(id) : Number.NaN;
      if (!Number.isSafeInteger(sequence) || sequence > ledger.transactionCount()) throw new SuiRpcError(-32602, `Checkpoint ${String(id)} not found`);
      return {
        epoch: '0',
        sequenceNumber: String(sequence),
        digest: sequence === 0 ? checkpointZero : deriveDigest(seed, 'checkpoint', sequence),
        networkTotalTransactions: String(sequence + 1),
        previousDigest: sequence === 0 ? null : sequence === 1 ? checkpointZero : deriveDigest(seed, 'checkpoint', sequence - 1),
        epochRollingGasCostSummary: ZERO_GAS,
        timestampMs: String(genesis.createdAtMs),
        transactions: sequence === 0 ? [deriveDigest(seed, 'genesis-tx')] : [deriveDigest(seed, 'tx', sequence - 1)],
        checkpointCommitments: [],
        validatorSignature: Buffer.alloc(48).toString('base64'),
      };
    },
    suix_getReferenceGasPrice: () => '1000',
  };
}

interface Flags {
  readonly showType?: boolean;
  readonly showOwner?: boolean;
  readonly showPreviousTransaction?: boolean;
  readonly showDisplay?: boolean;
  readonly showContent?: boolean;
  readonly showBcs?: boolean;
  readonly showStorageRebate?: boolean;
  readonly showInput?: boolean;
  readonly showRawInput?: boolean;
  readonly showEffects?: boolean;
  readonly showEvents?: boolean;
  readonly showObjectChanges?: boolean;
  readonly showBalanceChanges?: boolean;
}

function flags(options: unknown): Flags {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw invalidParams('options must be an object');
  const out: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(options)) out[key] = value === true;
  return out;
}

function objectData(view: SuiObjectView, show: Flags): object {
  return {
    objectId: view.objectId,
    version: String(view.version),
    digest: view.digest,
    ...(show.showType ? { type: view.type } : {}),
    ...(show.showOwner ? { owner: view.owner } : {}),
    ...(show.showPreviousTransaction ? { previousTransaction: view.previousTransaction } : {}),
    ...(show.showStorageRebate ? { storageRebate: '0' } : {}),
    ...(show.showDisplay ? { display: { data: null, error: null } } : {}),
    ...(show.showContent ? { content: { dataType: 'moveObject', type: view.type, hasPublicTransfer: view.hasPublicTransfer, fields: view.fields } } : {}),
    ...(show.showBcs
      ? { bcs: { dataType: 'moveObject', type: view.type, hasPublicTransfer: view.hasPublicTransfer, version: String(view.version), bcsBytes: Buffer.from(view.bcs).toString('base64') } }
      : {}),
  };
}

function change(view: SuiObjectView | undefined): object {
  return view ? { owner: view.owner, objectType: view.type, objectId: view.objectId, version: String(view.version), digest: view.digest } : {};
}

function objectIdParam(id: unknown): string {
  if (typeof id !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(id)) throw invalidParams(`invalid object id ${JSON.stringify(id)}`);
  return normalizeAddress(id);
}

function invalidParams(message: string): SuiRpcError {
  return new SuiRpcError(-32602, `Invalid params: ${message}`);
}

type EventFilter = (event: LedgerEvent, type: string) => boolean;

function eventFilter(query: unknown, sender: string): EventFilter {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) throw invalidParams('event query must be an object');
  const [kind, value] = Object.entries(query)[0] ?? [];
  if (kind === undefined) throw invalidParams('empty event filter');
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (kind) {
    case 'All':
    case 'Any': {
      if (!Array.isArray(value)) throw invalidParams(`${kind} takes an array of filters`);
      const filters = value.map((f) => eventFilter(f, sender));
      return kind === 'All' ? (e, t) => filters.every((f) => f(e, t)) : (e, t) => filters.some((f) => f(e, t));
    }
    case 'MoveEventType': {
      const wanted = normalizeTypeParam(text(value));
      return (_e, type) => normalizeStructTag(type) === wanted;
    }
    case 'Transaction':
      return (e) => e.id.txDigest === value;
    case 'Sender':
      // The publisher sends every transaction of this network.
      return () => /^0x[0-9a-fA-F]{1,64}$/.test(text(value)) && normalizeAddress(text(value)) === sender;
    case 'MoveModule':
    case 'MoveEventModule': {
      const { package: pkg, module } = (value ?? {}) as { package?: unknown; module?: unknown };
      const eventModule = kind === 'MoveModule' ? 'system' : 'events';
      return (_e, type) => /^0x[0-9a-fA-F]{1,64}$/.test(text(pkg)) && normalizeAddress(text(pkg)) === normalizeAddress(type.split('::')[0] ?? '') && module === eventModule;
    }
    case 'TimeRange': {
      const { startTime, endTime } = (value ?? {}) as { startTime?: unknown; endTime?: unknown };
      return (e) => e.timestampMs >= Number(startTime) && e.timestampMs < Number(endTime);
    }
    default:
      throw invalidParams(`unsupported event filter ${JSON.stringify(kind)}`);
  }
}

function normalizeTypeParam(type: string): string {
  try {
    return normalizeStructTag(type);
  } catch {
    throw invalidParams(`invalid Move event type ${JSON.stringify(type)}`);
  }
}

function queryEvents(all: readonly LedgerEvent[], objects: WalrusObjects, sender: string, query: unknown, cursor: unknown, limit: unknown, descending: boolean): object {
  const filter = eventFilter(query, sender);
  const pageSize = limit === undefined || limit === null ? MAX_PAGE : Number(limit);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw invalidParams('limit must be a positive integer');
  const ordered = descending ? [...all].reverse() : all;
  let start = 0;
  if (cursor !== undefined && cursor !== null) {
    const at = ordered.findIndex((e) => e.id.txDigest === (cursor as { txDigest?: unknown }).txDigest && e.id.eventSeq === String((cursor as { eventSeq?: unknown }).eventSeq));
    if (at < 0) throw invalidParams('unknown event cursor');
    start = at + 1;
  }
  const matching = ordered.slice(start).filter((e) => filter(e, objects.eventType(e.type)));
  const page = matching.slice(0, Math.min(pageSize, MAX_PAGE));
  const last = page.at(-1);
  return { data: page.map((e) => objects.event(e)), nextCursor: last ? last.id : null, hasNextPage: matching.length > page.length };
}
