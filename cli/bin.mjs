#!/usr/bin/env node
// `npx stepflow` where the package is installed: run the TypeScript entry point through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2));
