// Import rules of walrus-da: the table of docs/architecture.md "Module map", held here as data
// (MODULE_MAP) from which every folder rule below is generated. Anything a folder's entry does not
// allow is forbidden, so a new import across folders, or a new folder, is a decision recorded in
// both places; test/static/module-map.test.ts fails when the table and MODULE_MAP disagree.
// `npm run lint:imports` fails on any violation or cycle. Type-only imports count too: a folder
// that may not depend on another may not borrow its types either.

/**
 * folder → the folders it may import (its own files always) and, where given, the only npm
 * packages it may use outside tests (every other package is forbidden). A file belongs to the
 * deepest folder listed that contains it.
 * @type {Readonly<Record<string, { readonly imports: readonly string[]; readonly npm?: readonly string[] }>>}
 */
const MODULE_MAP = {
  'src/bytes': { imports: [], npm: [] },
  'src/commitment': { imports: ['src/bytes'], npm: ['@noble/hashes'] },
  'src/core': { imports: ['src/bytes', 'src/commitment'], npm: [] },
  'src/observability': { imports: [] },
  // config logs itself through observability's URL redaction.
  'src/config': { imports: ['src/observability'] },
  'src/walrus/codec': { imports: ['src/bytes', 'src/commitment'] },
  'src/walrus': { imports: ['src/bytes', 'src/commitment', 'src/core', 'src/observability', 'src/walrus/codec'] },
  // Reads from the committee's storage nodes; walrus-local's daemon shares its node client.
  'src/walrus/nodes': { imports: ['src/bytes', 'src/commitment', 'src/core', 'src/observability', 'src/walrus/codec'] },
  // walrus and sui are sibling adapters: each implements a core port and needs nothing of the other.
  'src/sui': { imports: ['src/bytes', 'src/core'] },
  'src/batching': { imports: ['src/bytes', 'src/commitment', 'src/core', 'src/observability', 'src/walrus/codec'] },
  'src/verify': { imports: ['src/bytes', 'src/commitment', 'src/core', 'src/walrus/codec'] },
  // L1 reading with viem; verifies through the core's CommitmentVerifier port.
  'src/scan': { imports: ['src/bytes', 'src/commitment', 'src/core'] },
  // What the HTTP doors (OP Stack, Orbit) share: client limits and the drain on shutdown.
  'src/protocols/http': { imports: [] },
  'src/protocols/opstack': { imports: ['src/bytes', 'src/commitment', 'src/core', 'src/observability', 'src/protocols/http'] },
  'src/protocols/orbit': { imports: ['src/bytes', 'src/commitment', 'src/core', 'src/observability', 'src/protocols/http'] },
  'src/grpc': { imports: ['src/bytes', 'src/commitment', 'src/core', 'src/observability', 'src/grpc/gen'] },
  'src/grpc/gen': { imports: [] },
  // Availability sampling: asks single storage nodes (src/walrus/nodes), judges them with the codec.
  'src/sampling': { imports: ['src/bytes', 'src/observability', 'src/walrus/codec', 'src/walrus/nodes'] },
  'src/walrus-local': { imports: ['src/bytes', 'src/commitment', 'src/observability', 'src/walrus/codec', 'src/walrus/nodes'] },
  'src/cli': {
    imports: [
      'src/batching',
      'src/bytes',
      'src/commitment',
      'src/config',
      'src/core',
      'src/grpc',
      'src/observability',
      'src/protocols/opstack',
      'src/protocols/orbit',
      'src/sampling',
      'src/scan',
      'src/sui',
      'src/verify',
      'src/walrus',
      'src/walrus-local',
      'src/walrus/codec',
      'src/walrus/nodes',
    ],
  },
};

const FOLDERS = Object.keys(MODULE_MAP);
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Paths of the files that belong to `folder`: inside it, but not inside a deeper listed folder. */
function members(folder) {
  const deeper = FOLDERS.filter((other) => other.startsWith(`${folder}/`)).map((other) => `${escapeRegex(other.slice(folder.length + 1))}/`);
  return `^${escapeRegex(folder)}/${deeper.length > 0 ? `(?!${deeper.join('|')})` : ''}`;
}

const short = (folder) => folder.replace(/^src\//, '').replaceAll('/', '-');
const NPM_DEPENDENCY_TYPES = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'];
const npmPackages = (names) => `^(?:node_modules/)?(?:${names.map(escapeRegex).join('|')})(?:/|$)`;

const folderRules = Object.entries(MODULE_MAP).map(([folder, { imports }]) => ({
  name: `${short(folder)}-imports`,
  comment: `${folder} may import ${imports.length > 0 ? imports.join(', ') : 'nothing else in src'} (docs/architecture.md "Module map").`,
  severity: 'error',
  from: { path: members(folder) },
  to: { path: '^src/', pathNot: [members(folder), ...imports.map(members)] },
}));

const npmRules = Object.entries(MODULE_MAP)
  .filter(([, { npm }]) => npm !== undefined)
  .map(([folder, { npm }]) => ({
    name: `${short(folder)}-has-no-wire-or-storage-libraries`,
    comment: `${folder} uses ${npm.length > 0 ? `no npm package but ${npm.join(', ')}` : 'no npm package'}: in particular no wire library, bullmq, ioredis or @mysten/*.`,
    severity: 'error',
    from: { path: members(folder), pathNot: '\\.test\\.ts$' },
    to: { dependencyTypes: NPM_DEPENDENCY_TYPES, ...(npm.length > 0 ? { pathNot: npmPackages(npm) } : {}) },
  }));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'nothing-imports-cli',
      comment: 'src/cli is the composition root; nothing depends on it.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'every-folder-is-mapped',
      comment: 'A file outside the folders of MODULE_MAP has no import rules: add its folder to docs/architecture.md "Module map" and MODULE_MAP.',
      severity: 'error',
      from: { path: '^src/', pathNot: FOLDERS.map((folder) => `^${escapeRegex(folder)}/`) },
      to: {},
    },
    ...folderRules,
    ...npmRules,
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: ['\\.test\\.ts$', '^test/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Generated code is listed (so imports of it are checked) but not followed into.
    doNotFollow: { path: ['node_modules', '^src/grpc/gen/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

// For test/static/module-map.test.ts. Not enumerable, because dependency-cruiser refuses
// configuration keys it does not know.
Object.defineProperty(module.exports, 'moduleMap', { value: MODULE_MAP, enumerable: false });
