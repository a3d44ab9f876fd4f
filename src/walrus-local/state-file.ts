// Crash-safe state files under the data directory: every write goes to a temporary file in the
// same directory, is fsynced, then renamed over the target, so a reader (or a restart after a
// crash) sees either the old or the new content, never a torn one.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(tmp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, path);
}

/** Reads a JSON file, or `undefined` when it does not exist yet. */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (corrupted walrus-local state?): ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Serializes saves of one state file and coalesces bursts: a save requested while another is
 * queued shares it, and the queued one snapshots the state only when it starts writing, so every
 * caller's change is on disk when its promise resolves.
 */
export class StateWriter {
  readonly #path: string;
  readonly #snapshot: () => string;
  readonly #mode: number;
  #inFlight: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(path: string, snapshot: () => string, mode = 0o644) {
    this.#path = path;
    this.#snapshot = snapshot;
    this.#mode = mode;
  }

  save(): Promise<void> {
    if (this.#queued) return this.#queued;
    const previous = this.#inFlight;
    const next = (async () => {
      await previous?.catch(() => undefined);
      this.#queued = undefined;
      await writeFileAtomic(this.#path, this.#snapshot(), this.#mode);
    })();
    this.#queued = next;
    this.#inFlight = next;
    return next;
  }

  /** Waits for every requested save (errors were already reported to their callers). */
  async flush(): Promise<void> {
    await this.#inFlight?.catch(() => undefined);
  }
}
