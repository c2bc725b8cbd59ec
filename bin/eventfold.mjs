#!/usr/bin/env node
// The `eventfold` command (package.json "bin"). It runs the TypeScript sources of core/cli directly: tsx's loader
// is registered first, so nothing has to be built. Plain Node ≥ 20.19 after `npm ci` is enough.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import(new URL('../core/cli/main.ts', import.meta.url).href);
await runCli();
