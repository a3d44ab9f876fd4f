// `rawTransaction` of sui_getTransactionBlock (`showRawInput`): base64 of the BCS
// `SenderSignedData` (sui-types transaction.rs), what @mysten/sui's core `getTransaction` parses
// into `transaction.inputs` / `commands` (node_modules/@mysten/sui/dist/jsonRpc/core.mjs
// `parseTransaction`). One ProgrammableTransaction with one MoveCall `<walrus>::system::<function>`
// over every input in order, as the publisher's real calls are made:
//   register_blob(system, storage…, blob_id, root_hash, size, encoding_type, deletable, …)
//   certify_blob(system, blob, signature, signers_bitmap, message)
// The System object is a shared input, any other object an owned one at the version the
// transaction read. Gas is free and there are no signatures: walrus-local runs no validators.
import { bcs as suiBcs } from '@mysten/sui/bcs';
import type { LedgerTransaction } from '../ledger/types.ts';

export interface RawTransactionContext {
  readonly packageId: string;
  readonly systemObjectId: string;
  readonly sender: string;
  /** The owned object's version and digest as the transaction read them. */
  readonly objectRef: (objectId: string) => { readonly version: number; readonly digest: string };
}

export function rawTransaction(tx: LedgerTransaction, context: RawTransactionContext): string {
  const inputs = [
    ...tx.objects.map((objectId) =>
      objectId === context.systemObjectId
        ? { Object: { SharedObject: { objectId, initialSharedVersion: 1, mutable: true } } }
        : { Object: { ImmOrOwnedObject: { objectId, ...context.objectRef(objectId) } } },
    ),
    ...tx.inputs.map((input) => ({ Pure: { bytes: Buffer.from(input.bcs, 'base64') } })),
  ];
  const data = {
    V1: {
      kind: {
        ProgrammableTransaction: {
          inputs,
          commands: [
            {
              MoveCall: {
                package: context.packageId,
                module: 'system',
                function: tx.function,
                typeArguments: [],
                arguments: inputs.map((_, i) => ({ Input: i })),
              },
            },
          ],
        },
      },
      sender: context.sender,
      gasData: { payment: [], owner: context.sender, price: 1000n, budget: 0n },
      expiration: { None: true },
    },
  };
  const signed = suiBcs.SenderSignedData.serialize([
    { intentMessage: { intent: { scope: { TransactionData: true }, version: { V0: true }, appId: { Sui: true } }, value: data }, txSignatures: [] },
  ]);
  return Buffer.from(signed.toBytes()).toString('base64');
}
