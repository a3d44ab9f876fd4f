// An L1 for scan tests: anvil, its unlocked dev accounts, the SequencerInbox stub deployed, and
// helpers that send transactions as a batcher / batch poster does and mine them in blocks of
// several transactions (so a block holds batches of both chains, in a known order).
import { createPublicClient, createTestClient, createWalletClient, encodeFunctionData, http, type Address, type Hex, type PublicClient, type TransactionReceipt } from 'viem';
import { anvil as anvilChain } from 'viem/chains';
import { startAnvil, type Anvil } from './anvil.ts';
import { compileSequencerInboxStub, type CompiledContract } from './sequencer-inbox-stub.ts';

export interface L1Chain {
  readonly anvil: Anvil;
  readonly client: PublicClient;
  readonly stub: CompiledContract;
  readonly accounts: { readonly deployer: Address; readonly batcher: Address; readonly poster: Address; readonly stranger: Address };
  readonly sequencerInbox: Address;
  /** Sends without mining; returns the transaction hash. */
  send(from: Address, to: Address, data: Hex): Promise<Hex>;
  /** Calls a SequencerInbox function from the batch poster, without mining. */
  callInbox(functionName: string, args: readonly unknown[]): Promise<Hex>;
  /** Mines one block holding every pending transaction; returns their receipts, all successful. */
  mine(hashes: readonly Hex[]): Promise<TransactionReceipt[]>;
  close(): Promise<void>;
}

export async function startL1Chain(): Promise<L1Chain> {
  const stub = compileSequencerInboxStub();
  const anvil = await startAnvil();
  const transport = http(anvil.url);
  const client = createPublicClient({ chain: anvilChain, transport });
  const wallet = createWalletClient({ chain: anvilChain, transport });
  const test = createTestClient({ chain: anvilChain, mode: 'anvil', transport });
  const [deployer, batcher, poster, stranger] = (await wallet.getAddresses()) as [Address, Address, Address, Address];

  const deployHash = await wallet.deployContract({ account: deployer, abi: stub.abi, bytecode: stub.bytecode, args: [poster] });
  const deployed = await client.waitForTransactionReceipt({ hash: deployHash });
  if (!deployed.contractAddress) throw new Error('the SequencerInbox stub was not deployed');
  const sequencerInbox = deployed.contractAddress;
  await test.setAutomine(false);

  // Explicit gas: estimating against the latest block would run a SequencerInbox call before the
  // earlier pending batches of the same block, with the wrong batch count.
  const send = (from: Address, to: Address, data: Hex) => wallet.sendTransaction({ account: from, to, data, gas: 1_000_000n });
  return {
    anvil,
    client,
    stub,
    accounts: { deployer, batcher, poster, stranger },
    sequencerInbox,
    send,
    callInbox: (functionName, args) => send(poster, sequencerInbox, encodeFunctionData({ abi: stub.abi, functionName, args })),
    async mine(hashes) {
      await test.mine({ blocks: 1 });
      const receipts = await Promise.all(hashes.map((hash) => client.getTransactionReceipt({ hash })));
      const failed = receipts.filter((r) => r.status !== 'success');
      if (failed.length > 0) throw new Error(`transactions reverted: ${failed.map((r) => r.transactionHash).join(', ')}`);
      return receipts;
    },
    close: () => anvil.close(),
  };
}
