// Import rules from DESIGN.md "Module layout": calls flow front doors → core → ports → adapters.
// `npm run lint:imports` fails on any violation or cycle. Type-only imports count too: a layer
// that may not depend on another may not borrow its types either.
const layer = (name) => `^src/${name}/`;
const npm = (names) => `^(?:node_modules/)?(?:${names.join('|')})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'nothing-imports-cli',
      comment: 'src/cli is the composition root; nothing depends on it.',
      severity: 'error',
      from: { pathNot: layer('cli') },
      to: { path: layer('cli') },
    },
    {
      name: 'commitment-is-a-leaf',
      comment: 'The commitment codec is pure: no imports from the rest of src.',
      severity: 'error',
      from: { path: layer('commitment') },
      to: { path: '^src/', pathNot: [layer('commitment'), layer('bytes')] },
    },
    {
      name: 'core-imports-only-commitment',
      severity: 'error',
      from: { path: layer('core') },
      to: { path: '^src/', pathNot: [layer('core'), layer('commitment'), layer('bytes')] },
    },
    {
      name: 'core-has-no-wire-or-storage-libraries',
      comment: 'core never imports a wire library, bullmq, ioredis or @mysten/*.',
      severity: 'error',
      from: { path: `${layer('core')}|${layer('commitment')}|${layer('bytes')}`, pathNot: '\\.test\\.ts$' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: npm(['@noble/hashes']),
      },
    },
    {
      name: 'walrus-codec-is-pure',
      comment: 'src/walrus/codec is shared with walrus-local, so it may not reach into core or adapters.',
      severity: 'error',
      from: { path: '^src/walrus/codec/' },
      to: { path: '^src/', pathNot: ['^src/walrus/codec/', layer('commitment'), layer('bytes')] },
    },
    {
      name: 'walrus-local-uses-walrus-codecs-only',
      severity: 'error',
      from: { path: layer('walrus-local') },
      to: { path: '^src/', pathNot: [layer('walrus-local'), '^src/walrus/codec/', layer('bytes'), layer('observability')] },
    },
    {
      name: 'adapters-import-core-not-each-other',
      comment: 'batching → core, walrus; walrus → core; sui → core.',
      severity: 'error',
      from: { path: `${layer('walrus')}|${layer('sui')}` },
      to: { path: `${layer('batching')}|${layer('protocols')}|${layer('grpc')}|${layer('verify')}|${layer('walrus-local')}` },
    },
    {
      name: 'batching-imports',
      severity: 'error',
      from: { path: layer('batching') },
      to: { path: '^src/', pathNot: [layer('batching'), layer('core'), layer('commitment'), layer('bytes'), layer('walrus'), layer('observability')] },
    },
    {
      name: 'front-doors-import-core-and-commitment',
      comment: 'Protocols and gRPC speak to core only; they never reach adapters or each other.',
      severity: 'error',
      from: { path: `${layer('protocols')}|${layer('grpc')}` },
      to: {
        path: '^src/',
        pathNot: [layer('protocols/[^/]+'), layer('protocols/shared'), layer('grpc'), layer('core'), layer('commitment'), layer('bytes'), layer('observability')],
      },
    },
    {
      name: 'protocols-do-not-import-each-other',
      severity: 'error',
      from: { path: '^src/protocols/([^/]+)/' },
      to: { path: '^src/protocols/', pathNot: ['^src/protocols/$1/', '^src/protocols/shared/'] },
    },
    {
      name: 'verify-imports',
      severity: 'error',
      from: { path: layer('verify') },
      to: { path: '^src/', pathNot: [layer('verify'), layer('core'), layer('commitment'), layer('bytes'), layer('walrus'), layer('sui')] },
    },
    {
      name: 'config-and-observability-are-leaves',
      severity: 'error',
      from: { path: `${layer('config')}|${layer('observability')}` },
      to: { path: '^src/', pathNot: [layer('config'), layer('observability')] },
    },
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
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/grpc/gen/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
