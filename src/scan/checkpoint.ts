// `--checkpoint FILE`: the last L1 block whose batches were all reported, so an interrupted scan
// resumes after it. The file also names what was scanned (inboxes, batcher), so a checkpoint of
// one chain is never silently used for another. Replaced atomically (temp file + rename).
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

export interface Checkpoint {
  /** What the scan covers, e.g. `opstack:<inbox>:<batcher> orbit:<inbox>` (lowercase). */
  readonly scope: string;
  readonly lastScannedBlock: bigint;
}

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/** The checkpoint in `path`, or undefined when there is no such file. */
export async function readCheckpoint(path: string, scope: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseCheckpoint(text);
  if (!parsed) throw new CheckpointError(`${path} is not a walrus-da scan checkpoint`);
  if (parsed.scope !== scope) throw new CheckpointError(`${path} is the checkpoint of "${parsed.scope}", not of "${scope}"`);
  return parsed;
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ scope: checkpoint.scope, lastScannedBlock: checkpoint.lastScannedBlock.toString() })}\n`);
  await rename(temporary, path);
}

export function parseCheckpoint(text: string): Checkpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { scope, lastScannedBlock } = value as Record<string, unknown>;
  if (typeof scope !== 'string' || typeof lastScannedBlock !== 'string' || !/^\d{1,20}$/.test(lastScannedBlock)) return undefined;
  return { scope, lastScannedBlock: BigInt(lastScannedBlock) };
}
