#!/usr/bin/env node
// The `walrus-da` command of the published package: checks the Node version, then runs the built
// CLI (dist/, from `npm run build`).
import { requireSupportedNode } from './node-version.mjs';

requireSupportedNode(false);
await import('../dist/cli/main.js');
