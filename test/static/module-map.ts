// Reads the two statements of the module map and compares them: the "Module map" table of
// docs/architecture.md, written for people, and MODULE_MAP of .dependency-cruiser.cjs, from which
// the import rules are generated. Kept apart from the test so that the test can also feed it
// doctored input and show that a disagreement is caught.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What one folder may import: folders of src, and (when limited) the only npm packages allowed. */
export interface FolderRule {
  readonly imports: readonly string[];
  readonly npm?: readonly string[];
}

export type ModuleMap = ReadonlyMap<string, FolderRule>;

export const ARCHITECTURE_DOC = new URL('../../docs/architecture.md', import.meta.url);
const CRUISER_CONFIG = new URL('../../.dependency-cruiser.cjs', import.meta.url);

const SECTION = '## Module map';
const HEADER = ['folder', 'owns', 'may import'];
const NONE = '—';

/** Thrown when the document does not hold a table this parser understands. */
export class ModuleMapFormatError extends Error {
  override readonly name = 'ModuleMapFormatError';
}

export function readArchitectureDoc(): string {
  return readFileSync(ARCHITECTURE_DOC, 'utf8');
}

/**
 * Parses the table of the "Module map" section. Each row is
 * `| `src/x` | prose | `src/a`, `src/b`; npm: `pkg` |`, where the import list may be `—` (none)
 * and the npm clause, if present, is `npm: none` or a list of backticked package names.
 */
export function parseModuleMapTable(markdown: string): ModuleMap {
  const lines = sectionLines(markdown);
  const start = lines.findIndex((line) => line.trimStart().startsWith('|'));
  if (start < 0) throw new ModuleMapFormatError(`no table in "${SECTION}"`);
  const table: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.trimStart().startsWith('|')) break;
    table.push(line);
  }
  const [header, separator, ...rows] = table.map(cells);
  if (header?.join('|') !== HEADER.join('|')) {
    throw new ModuleMapFormatError(`the table in "${SECTION}" must have the columns | ${HEADER.join(' | ')} |, found | ${header?.join(' | ') ?? ''} |`);
  }
  if (!separator?.every((cell) => /^:?-{3,}:?$/.test(cell))) throw new ModuleMapFormatError('the table header must be followed by a separator row');
  const map = new Map<string, FolderRule>();
  for (const row of rows) {
    if (row.length !== HEADER.length) throw new ModuleMapFormatError(`row | ${row.join(' | ')} | has ${row.length} cells, not ${HEADER.length}`);
    const [folderCell = '', , importsCell = ''] = row;
    const folder = /^`([^`]+)`$/.exec(folderCell)?.[1];
    if (folder === undefined) throw new ModuleMapFormatError(`the folder cell must be one backticked path, got ${JSON.stringify(folderCell)}`);
    if (map.has(folder)) throw new ModuleMapFormatError(`${folder} has two rows`);
    map.set(folder, parseImportsCell(folder, importsCell));
  }
  return map;
}

function parseImportsCell(folder: string, cell: string): FolderRule {
  const [foldersPart = '', npmPart, ...rest] = cell.split(';').map((part) => part.trim());
  if (rest.length > 0) throw new ModuleMapFormatError(`${folder}: at most one ";" in "may import"`);
  const imports = foldersPart === NONE ? [] : backticked(folder, foldersPart);
  if (npmPart === undefined) return { imports };
  const npm = /^npm:\s*(.*)$/.exec(npmPart)?.[1];
  if (npm === undefined) throw new ModuleMapFormatError(`${folder}: after ";" comes "npm: …", got ${JSON.stringify(npmPart)}`);
  return { imports, npm: npm === 'none' ? [] : backticked(folder, npm) };
}

/** `a`, `b` → [a, b]; anything else in the list is a format error. */
function backticked(folder: string, list: string): string[] {
  const items = list.split(',').map((item) => item.trim());
  return items.map((item) => {
    const name = /^`([^`]+)`$/.exec(item)?.[1];
    if (name === undefined) throw new ModuleMapFormatError(`${folder}: expected a backticked name, got ${JSON.stringify(item)}`);
    return name;
  });
}

function sectionLines(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === SECTION);
  if (start < 0) throw new ModuleMapFormatError(`no "${SECTION}" section`);
  const end = lines.findIndex((line, i) => i > start && /^#{1,2} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The cells of a table row, trimmed; `\|` inside a cell is not a separator. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/** MODULE_MAP as .dependency-cruiser.cjs exports it (a non-enumerable `moduleMap`). */
export function loadCruiserModuleMap(): ModuleMap {
  const config: unknown = createRequire(import.meta.url)(fileURLToPath(CRUISER_CONFIG));
  const raw = typeof config === 'object' && config !== null ? (config as { moduleMap?: unknown }).moduleMap : undefined;
  if (typeof raw !== 'object' || raw === null) throw new Error('.dependency-cruiser.cjs exports no moduleMap');
  const map = new Map<string, FolderRule>();
  for (const [folder, value] of Object.entries(raw)) {
    const { imports, npm } = (value ?? {}) as { imports?: unknown; npm?: unknown };
    if (!isStringArray(imports) || (npm !== undefined && !isStringArray(npm))) {
      throw new Error(`moduleMap['${folder}'] must be { imports: string[], npm?: string[] }`);
    }
    map.set(folder, npm === undefined ? { imports } : { imports, npm });
  }
  return map;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Every disagreement between the two maps, one line each, folder by folder; empty when equal. */
export function moduleMapDifferences(docs: ModuleMap, config: ModuleMap): string[] {
  const differences: string[] = [];
  const folders = [...new Set([...docs.keys(), ...config.keys()])].sort();
  for (const folder of folders) {
    const inDocs = docs.get(folder);
    const inConfig = config.get(folder);
    if (!inDocs) {
      differences.push(`${folder}: in .dependency-cruiser.cjs but has no row in docs/architecture.md`);
      continue;
    }
    if (!inConfig) {
      differences.push(`${folder}: has a row in docs/architecture.md but is not in .dependency-cruiser.cjs`);
      continue;
    }
    const imports = setDifference(inDocs.imports, inConfig.imports);
    if (imports.onlyLeft.length > 0) differences.push(`${folder}: docs allow importing ${imports.onlyLeft.join(', ')}, the config does not`);
    if (imports.onlyRight.length > 0) differences.push(`${folder}: the config allows importing ${imports.onlyRight.join(', ')}, the docs do not`);
    if ((inDocs.npm === undefined) !== (inConfig.npm === undefined)) {
      differences.push(`${folder}: npm packages are limited in ${inDocs.npm ? 'the docs' : 'the config'} only`);
    } else if (inDocs.npm && inConfig.npm) {
      const npm = setDifference(inDocs.npm, inConfig.npm);
      if (npm.onlyLeft.length > 0) differences.push(`${folder}: docs allow npm ${npm.onlyLeft.join(', ')}, the config does not`);
      if (npm.onlyRight.length > 0) differences.push(`${folder}: the config allows npm ${npm.onlyRight.join(', ')}, the docs do not`);
    }
  }
  return differences;
}

function setDifference(left: readonly string[], right: readonly string[]): { onlyLeft: string[]; onlyRight: string[] } {
  return { onlyLeft: left.filter((x) => !right.includes(x)).sort(), onlyRight: right.filter((x) => !left.includes(x)).sort() };
}

/** A cycle in the folder graph, as a path of folders, or undefined if there is none. */
export function folderCycle(map: ModuleMap): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (folder: string, path: string[]): string[] | undefined => {
    if (state.get(folder) === 'done') return undefined;
    if (state.get(folder) === 'visiting') return [...path.slice(path.indexOf(folder)), folder];
    state.set(folder, 'visiting');
    for (const next of map.get(folder)?.imports ?? []) {
      const cycle = visit(next, [...path, folder]);
      if (cycle) return cycle;
    }
    state.set(folder, 'done');
    return undefined;
  };
  for (const folder of map.keys()) {
    const cycle = visit(folder, []);
    if (cycle) return cycle;
  }
  return undefined;
}
