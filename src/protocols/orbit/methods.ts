// The `daprovider_*` methods of Nitro v3.10's custom DA provider API (nitro
// daprovider/server/provider_server.go: ReaderServer, WriterServer, ValidatorServer), over
// DaService. Params are positional go-ethereum types; results are built by results.ts.
//
//   sequencerMsg (what the node hands back to read a batch)
//   [ 40-byte header: 5 × u64 BE (arbstate/inbox.go) | certificate ]
//   certificate = [ 0x01 | da byte (0x57) | body v0 (102) ]          104 B, what store returned
//
// `batchNum` and `batchBlockHash` are decoded (so bad values get geth's errors) but never used:
// the block hash is all zeros in the replay binary and in the batch poster's read-back check.
import { CommitmentError, ORBIT_DA_CERTIFICATE_HEADER, ORBIT_SEQUENCER_HEADER_LENGTH, decodeFramed, decodeSequencerHeader, encodeFramed, keccak256, type CommitmentBody } from '../../commitment/index.ts';
import { bytesToHex } from '../../bytes/index.ts';
import { InvalidInputError, TooLargeError, type CoreLogger, type DaService } from '../../core/index.ts';
import { rpcMethod, type RpcCallContext, type RpcMethod } from './geth-rpc/dispatch.ts';
import { hash, hexBytes, hexUint64 } from './geth-rpc/hexutil.ts';
import { InvalidCertificateError, proofsNotSupported, type OrbitOperation } from './wire-errors.ts';
import {
  headerBytesResult,
  maxSizeResult,
  payloadAndPreimagesResult,
  payloadResult,
  preimagesResult,
  startStreamingResult,
  storeResult,
} from './results.ts';
import type { ChunkedStoreReceiver } from './streaming.ts';

export interface OrbitMethodsOptions {
  readonly service: DaService;
  /** What getMaxMessageSize answers; larger store messages are refused. */
  readonly maxMessageSize: number;
  /** The provider-type byte after 0x01 in every certificate. */
  readonly daByte: number;
  readonly receiver: ChunkedStoreReceiver;
  readonly logger: CoreLogger;
  /** The chain every call of this method set acts for (chain-routes.ts decided it), for admission and metrics. */
  readonly chain: string;
}

export interface OrbitMethod extends RpcMethod {
  /** Decides how failures are reported (wire-errors.ts). */
  readonly operation: OrbitOperation;
}

const READ_PARAMS = [hexUint64, hash, hexBytes] as const;

/** The daprovider namespace, by full JSON-RPC method name. */
export function orbitMethods(options: OrbitMethodsOptions): ReadonlyMap<string, OrbitMethod> {
  const { maxMessageSize, receiver } = options;
  const store = storeFlow(options);
  const read = readFlow(options);
  const methods: [string, OrbitOperation, RpcMethod][] = [
    // Reader
    ['getSupportedHeaderBytes', 'info', rpcMethod([], () => Promise.resolve(headerBytesResult(Uint8Array.of(ORBIT_DA_CERTIFICATE_HEADER))))],
    [
      'recoverPayload',
      'read',
      rpcMethod(READ_PARAMS, async ([, , sequencerMsg], call) => {
        const { payload } = await read(sequencerMsg, call);
        return payloadResult(payload);
      }),
    ],
    [
      'collectPreimages',
      'read',
      rpcMethod(READ_PARAMS, async ([, , sequencerMsg], call) => {
        const { certificate, payload } = await read(sequencerMsg, call);
        return preimagesResult(keccak256(certificate), payload);
      }),
    ],
    [
      'recoverPayloadAndPreimages',
      'read',
      rpcMethod(READ_PARAMS, async ([, , sequencerMsg], call) => {
        const { certificate, payload } = await read(sequencerMsg, call);
        return payloadAndPreimagesResult(keccak256(certificate), payload);
      }),
    ],
    // Writer
    ['getMaxMessageSize', 'info', rpcMethod([], () => Promise.resolve(maxSizeResult(maxMessageSize)))],
    ['store', 'store', rpcMethod([hexBytes, hexUint64], ([message, timeout], call) => store(message, timeout, call))],
    [
      'startChunkedStore',
      'store',
      rpcMethod([hexUint64, hexUint64, hexUint64, hexUint64, hexUint64, hexBytes], ([timestamp, nChunks, chunkSize, totalSize, timeout, sig]) =>
        Promise.resolve(startStreamingResult(receiver.start({ timestamp, nChunks, chunkSize, totalSize, timeout, sig }))),
      ),
    ],
    [
      'sendChunk',
      'store',
      rpcMethod([hexUint64, hexUint64, hexBytes, hexBytes], ([messageId, chunkId, chunk, sig]) => {
        receiver.receiveChunk(messageId, chunkId, chunk, sig);
        return Promise.resolve('null');
      }),
    ],
    [
      'commitChunkedStore',
      'store',
      rpcMethod([hexUint64, hexBytes], ([messageId, sig], call) => {
        const { message, timeout } = receiver.finalize(messageId, sig);
        return store(message, timeout, call);
      }),
    ],
    // Validator: no on-chain proof validator exists for walrus-da yet.
    ['generateReadPreimageProof', 'proof', rpcMethod([hexUint64, hexBytes], () => Promise.reject(proofsNotSupported('generateReadPreimageProof')))],
    ['generateCertificateValidityProof', 'proof', rpcMethod([hexBytes], () => Promise.reject(proofsNotSupported('generateCertificateValidityProof')))],
  ];
  return new Map(methods.map(([name, operation, method]) => [`daprovider_${name}`, { ...method, operation }]));
}

/** store: the message becomes one frame; its certificate is `0x01 ‖ daByte ‖ body`. */
function storeFlow(options: OrbitMethodsOptions) {
  const { service, maxMessageSize, daByte, logger, chain } = options;
  return async (message: Uint8Array, timeout: bigint, call: RpcCallContext): Promise<string> => {
    // Nitro always sends at least the 0x00 brotli header byte; nothing to store is a client bug.
    if (message.length === 0) throw new InvalidInputError('empty message: there is no batch to store');
    if (message.length > maxMessageSize) throw new TooLargeError(message.length, maxMessageSize);
    const { commitment, deduplicated } = await service.put(message, { signal: call.signal, chain });
    const certificate = encodeFramed(commitment.body, { daByte });
    // `timeout` (unix seconds, now + 15 days by default) is not enforced here: retention is the
    // deployment's Walrus storage window, chosen at startup.
    logger.info(
      { chain, bytes: message.length, deduplicated, height: commitment.height, endEpoch: commitment.endEpoch, timeout: timeout.toString(), certificate: bytesToHex(certificate) },
      'stored Orbit batch',
    );
    return storeResult(certificate);
  };
}

/** The three read methods: certificate = sequencerMsg[40:], then exactly the stored bytes. */
function readFlow(options: OrbitMethodsOptions) {
  const { service, daByte, chain } = options;
  return async (sequencerMsg: Uint8Array, call: RpcCallContext): Promise<{ readonly certificate: Uint8Array; readonly payload: Uint8Array }> => {
    const certificate = sequencerMsg.subarray(ORBIT_SEQUENCER_HEADER_LENGTH);
    let body: CommitmentBody;
    try {
      decodeSequencerHeader(sequencerMsg); // refuses a message shorter than its header
      body = decodeFramed(certificate, 'orbit', { daByte });
    } catch (error) {
      if (error instanceof CommitmentError) throw new InvalidCertificateError(error.message, { cause: error });
      throw error;
    }
    const { data } = await service.get(body, { signal: call.signal, chain });
    return { certificate, payload: data };
  };
}
