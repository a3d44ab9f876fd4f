// `--out DIR`: each verified frame as a file named by the lowercase hex keccak256 of its bytes (the
// frame key and quilt patch identifier everywhere in walrus-da). Written to a temporary name and
// renamed, so a file under its final name is always a whole frame, even after a crash.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { frameKey } from '../commitment/index.ts';

export async function writeFrameFile(dir: string, frame: Uint8Array): Promise<string> {
  const path = join(dir, frameKey(frame));
  await mkdir(dir, { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, frame);
  await rename(temporary, path);
  return path;
}
