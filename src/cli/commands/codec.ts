// Offline codec verbs: `blob-id`, `quilt build|parse` and `commitment decode`. They run the same
// code the server runs, so an operator can check any blob id, quilt or commitment by hand.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DA_BYTE, bodyQuiltPatchId, commitmentBytesFromHex, inspectCommitment, quiltPatchIdToText } from '../../commitment/index.ts';
import { bytesToHex } from '../../bytes/index.ts';
import {
  EncoderPool,
  MAX_SHARDS,
  MIN_SHARDS,
  blobIdToText,
  blobIdToU256,
  buildFrameQuilt,
  decodeQuiltPatch,
  parseQuiltIndex,
  quiltColumns,
  readQuiltPatch,
  storageAccounting,
} from '../../walrus/codec/index.ts';
import { CliError, integerOption, printJson, readInput, readTextArgument } from '../io.ts';

const shardsOption = integerOption('--shards', MIN_SHARDS, MAX_SHARDS);

async function withPool<T>(fn: (pool: EncoderPool) => Promise<T>): Promise<T> {
  const pool = new EncoderPool({ threads: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

export function registerCodecCommands(program: Command): void {
  program
    .command('blob-id')
    .description('compute the Walrus blob id of a file (or stdin) with the official RS2 encoder')
    .requiredOption('--shards <n>', 'number of shards (1000 on mainnet and testnet)', shardsOption)
    .argument('<file>', 'file to read, or - for stdin')
    .action(async (file: string, options: { shards: number }) => {
      const data = await readInput(file);
      const summary = await withPool((pool) => pool.blobMetadata(data, options.shards));
      const accounting = storageAccounting(data.length, options.shards);
      printJson({
        blobId: blobIdToText(summary.blobId),
        u256: blobIdToU256(summary.blobId),
        length: data.length,
        shards: options.shards,
        rootHash: bytesToHex(summary.rootHash),
        encodedLength: accounting.encodedLength,
        storageUnits: accounting.storageUnits,
      });
    });

  const quilt = program.command('quilt').description('build and read Walrus quilts of rollup frames');
  quilt
    .command('build')
    .description('pack frames into one quilt; each patch is named by the lowercase hex keccak256 of its frame')
    .requiredOption('--shards <n>', 'number of shards', shardsOption)
    .requiredOption('-o, --output <file>', 'where to write the quilt blob')
    .argument('<files...>', 'frame files')
    .action(async (files: string[], options: { shards: number; output: string }) => {
      const frames = await Promise.all(files.map(readInput));
      const built = buildFrameQuilt(frames, options.shards);
      const summary = await withPool((pool) => pool.blobMetadata(built.quilt, options.shards));
      await writeFile(options.output, built.quilt);
      const accounting = storageAccounting(built.quilt.length, options.shards);
      printJson({
        quiltBlobId: blobIdToText(summary.blobId),
        u256: blobIdToU256(summary.blobId),
        length: built.quilt.length,
        shards: options.shards,
        symbolSize: built.symbolSize,
        encodedLength: accounting.encodedLength,
        storageUnits: accounting.storageUnits,
        payloadBytes: frames.reduce((sum, f) => sum + f.length, 0),
        output: options.output,
        patches: built.framePatches.map((p, i) => ({
          file: basename(files[i] ?? ''),
          identifier: p.identifier,
          startColumn: p.startColumn,
          endColumn: p.endColumn,
          quiltPatchId: quiltPatchIdToText({ quiltId: summary.blobId, ...p }),
        })),
      });
    });

  quilt
    .command('parse')
    .description('read a quilt index; optionally extract one patch by identifier or column range')
    .option('--shards <n>', 'number of shards the quilt was built for', shardsOption, 1000)
    .option('--identifier <id>', 'extract the patch with this identifier')
    .option('--columns <start:end>', 'extract the patch occupying columns [start, end)')
    .option('-o, --output <file>', 'write the extracted patch bytes here')
    .argument('<quilt>', 'quilt blob file, or - for stdin')
    .action(async (file: string, options: { shards: number; identifier?: string; columns?: string; output?: string }) => {
      const bytes = await readInput(file);
      const index = parseQuiltIndex(bytes, options.shards);
      const summary = await withPool((pool) => pool.blobMetadata(bytes, options.shards));
      const patches = index.entries.map((entry) => {
        const patch = decodeQuiltPatch(quiltColumns(bytes, index.geometry, entry.startColumn, entry.endColumn));
        return { ...entry, length: patch.data.length, quiltPatchId: quiltPatchIdToText({ quiltId: summary.blobId, ...entry }) };
      });
      const selector = patchSelector(options);
      let extracted: { identifier: string; length: number; output: string } | undefined;
      if (selector) {
        if (!options.output) throw new CliError('--output is required with --identifier or --columns');
        const patch = readQuiltPatch(bytes, options.shards, selector);
        await writeFile(options.output, patch.data);
        extracted = { identifier: patch.identifier, length: patch.data.length, output: options.output };
      }
      printJson({
        quiltBlobId: blobIdToText(summary.blobId),
        length: bytes.length,
        shards: options.shards,
        symbolSize: index.geometry.symbolSize,
        indexColumns: index.indexColumns,
        patches,
        ...(extracted ? { extracted } : {}),
      });
    });

  program
    .command('commitment')
    .description('inspect walrus-da commitments')
    .command('decode')
    .description('decode a commitment, certificate, L1 calldata or Orbit sequencer message (hex) into its fields')
    .option('--da-byte <byte>', 'the DA-layer / provider byte this deployment uses', integerOption('--da-byte', 0, 255), DEFAULT_DA_BYTE)
    .argument('<hex>', 'hex bytes (0x optional), or - for stdin')
    .action(async (hex: string, options: { daByte: number }) => {
      const inspected = inspectCommitment(commitmentBytesFromHex(await readTextArgument(hex)), { daByte: options.daByte });
      if (!('body' in inspected)) {
        printJson({ framing: inspected.form, keccak: bytesToHex(inspected.keccak) });
        return;
      }
      const { body } = inspected;
      printJson({
        framing: inspected.form,
        ...(inspected.form === 'body-v0' ? {} : { daByte: `0x${options.daByte.toString(16).padStart(2, '0')}` }),
        bodyVersion: 0,
        blobId: blobIdToText(body.quiltId),
        blobIdU256: blobIdToU256(body.quiltId),
        quiltPatchId: quiltPatchIdToText(bodyQuiltPatchId(body)),
        startColumn: body.startColumn,
        endColumn: body.endColumn,
        objectId: bytesToHex(body.objectId),
        keccak: bytesToHex(body.frameKeccak),
        ...('header' in inspected ? { sequencerHeader: inspected.header } : {}),
      });
    });
}

function patchSelector(options: { identifier?: string; columns?: string }) {
  if (options.identifier !== undefined && options.columns !== undefined) {
    throw new CliError('use either --identifier or --columns, not both');
  }
  if (options.identifier !== undefined) return { identifier: options.identifier };
  if (options.columns === undefined) return undefined;
  const match = /^(\d+):(\d+)$/.exec(options.columns);
  if (!match) throw new CliError(`--columns must look like start:end, got ${JSON.stringify(options.columns)}`);
  return { startColumn: Number(match[1]), endColumn: Number(match[2]) };
}
