// The Node version check every entry point runs before it loads the CLI. Plain JavaScript on
// purpose: an older Node cannot even load the TypeScript sources (ERR_UNKNOWN_FILE_EXTENSION) and
// may not parse the built code, so the check must come first and import the CLI only afterwards.
// Keep this file free of syntax or APIs newer than Node 14.
/* global process */

/** The oldest Node walrus-da runs on: package.json "engines". */
export const REQUIRED_NODE = '22.12.0';
/** The oldest Node that strips TypeScript types without a flag (running from src/). */
export const REQUIRED_NODE_FOR_SOURCES = '22.18.0';

function atLeast(version, required) {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const want = required.split('.').map(Number);
  for (let i = 0; i < want.length; i++) {
    if ((have[i] || 0) !== want[i]) return (have[i] || 0) > want[i];
  }
  return true;
}

/**
 * Exits with code 1 and a message naming the required version unless this Node can run
 * walrus-da; `fromSources` also requires type stripping (src/cli/main.ts runs as TypeScript).
 */
export function requireSupportedNode(fromSources) {
  const version = process.version;
  if (!atLeast(version, REQUIRED_NODE)) {
    fail('walrus-da needs Node.js >= ' + REQUIRED_NODE + ' (package.json "engines"); this is Node.js ' + version + ' at ' + process.execPath + '. Install Node 22 LTS or newer (https://nodejs.org) and run it again.');
  }
  const typescript = process.features && process.features.typescript;
  if (fromSources && !typescript) {
    fail('walrus-da from its TypeScript sources needs Node.js >= ' + REQUIRED_NODE_FOR_SOURCES + ' (types are stripped without a flag) or NODE_OPTIONS=--experimental-strip-types; this is Node.js ' + version + '. Or run the built CLI: npm run build && node bin/walrus-da.mjs.');
  }
}

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}
