#!/usr/bin/env node
// The CLI straight from src/ (npm start, npm run walrus-da, the bench scripts): checks the Node
// version and type stripping, then runs src/cli/main.ts.
import { requireSupportedNode } from './node-version.mjs';

requireSupportedNode(true);
await import('../src/cli/main.ts');
