// The module map is stated twice: as a table for people (docs/architecture.md "Module map") and as
// data the import rules are generated from (.dependency-cruiser.cjs). This test keeps the two
// equal, folder by folder, and checks that the map itself has the shape the architecture promises.
// It reads files only: no Redis, no servers.
import { describe, expect, it } from 'vitest';
import {
  ModuleMapFormatError,
  folderCycle,
  loadCruiserModuleMap,
  moduleMapDifferences,
  parseModuleMapTable,
  readArchitectureDoc,
  type ModuleMap,
} from './module-map.ts';

const doc = readArchitectureDoc();
const documented = parseModuleMapTable(doc);
const configured = loadCruiserModuleMap();

/** `markdown` with the "may import" cell of one folder's table row replaced. */
function withImportsCell(folder: string, cell: string, markdown: string = doc): string {
  const row = new RegExp(`^(\\| \`${folder.replaceAll('/', '\\/')}\` \\|[^|]*\\| ).*\\|$`, 'm');
  expect(markdown).toMatch(row);
  return markdown.replace(row, (_, start: string) => `${start}${cell} |`);
}

describe('module map: docs/architecture.md and .dependency-cruiser.cjs', () => {
  it('list the same folders with the same allowed imports', () => {
    expect(moduleMapDifferences(documented, configured)).toEqual([]);
    expect(documented.size).toBeGreaterThan(10);
  });

  it('report a doctored table folder by folder', () => {
    // src/sui may import src/walrus, src/core's npm limit is dropped, src/cli loses src/config.
    let doctored = withImportsCell('src/sui', '`src/bytes`, `src/core`, `src/walrus`');
    doctored = withImportsCell('src/core', '`src/bytes`, `src/commitment`', doctored);
    doctored = doctored.replace('`src/commitment`, `src/config`, `src/core`', '`src/commitment`, `src/core`');
    const table = parseModuleMapTable(doctored);
    expect(moduleMapDifferences(table, configured)).toEqual([
      'src/cli: the config allows importing src/config, the docs do not',
      'src/core: npm packages are limited in the config only',
      'src/sui: docs allow importing src/walrus, the config does not',
    ]);
  });

  it('report a folder missing on either side', () => {
    const withoutGen = parseModuleMapTable(doc.replace(/^\| `src\/grpc\/gen` \|.*\n/m, ''));
    expect(moduleMapDifferences(withoutGen, configured)).toEqual(['src/grpc/gen: in .dependency-cruiser.cjs but has no row in docs/architecture.md']);
    const extra: ModuleMap = new Map([...configured, ['src/sdk', { imports: ['src/core'] }]]);
    expect(moduleMapDifferences(documented, extra)).toEqual(['src/sdk: in .dependency-cruiser.cjs but has no row in docs/architecture.md']);
  });

  it('refuses a table it cannot read rather than comparing nothing', () => {
    expect(() => parseModuleMapTable(doc.replace('## Module map', '## Modules'))).toThrowError(ModuleMapFormatError);
    expect(() => parseModuleMapTable(doc.replace('| folder | owns | may import |', '| folder | may import |'))).toThrowError(ModuleMapFormatError);
    expect(() => parseModuleMapTable(withImportsCell('src/sui', 'src/bytes, src/core'))).toThrowError(/backticked/);
    expect(() => parseModuleMapTable(withImportsCell('src/core', '`src/bytes`; npm only `x`'))).toThrowError(/npm:/);
  });
});

describe('module map: the shape the architecture promises', () => {
  it('names only mapped folders and never a folder itself', () => {
    for (const [folder, rule] of configured) {
      expect(rule.imports.filter((target) => !configured.has(target)), folder).toEqual([]);
      expect(rule.imports, folder).not.toContain(folder);
    }
  });

  it('lets nothing import src/cli', () => {
    expect([...configured].filter(([, rule]) => rule.imports.includes('src/cli')).map(([folder]) => folder)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(folderCycle(configured)).toBeUndefined();
    const cyclic: ModuleMap = new Map([...configured, ['src/bytes', { imports: ['src/core'], npm: [] }]]);
    expect(folderCycle(cyclic)).toEqual(['src/bytes', 'src/core', 'src/bytes']);
  });

  it('keeps core, commitment and bytes free of wire and storage libraries', () => {
    for (const folder of ['src/core', 'src/commitment', 'src/bytes']) {
      const npm = configured.get(folder)?.npm;
      expect(npm, `${folder} must limit its npm packages`).toBeDefined();
      expect(npm?.filter((name) => /^(?:@mysten\/|@grpc\/|@bufbuild\/|bullmq$|ioredis$|fastify$|jose$|viem$)/.test(name)), folder).toEqual([]);
    }
    expect(configured.get('src/core')?.imports).toEqual(['src/bytes', 'src/commitment']);
  });
});
