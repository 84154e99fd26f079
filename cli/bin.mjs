#!/usr/bin/env node
// `stepflow` where the package is installed: the compiled CLI in dist/ (`npm run build` in a checkout).
// Plain JavaScript that runs on Node >= 20; in the repository `npm run stepflow` runs the sources through tsx.
import module from 'node:module';

// Node >= 22.1 keeps the compiled code of the modules loaded here on disk, so the next start skips
// compiling zod, yaml, ajv and the CLI itself (https://nodejs.org/api/module.html#module-compile-cache).
module.enableCompileCache?.();

const argv = process.argv.slice(2);

// `run` and `dev` run workflows offline and import the project's task handlers, which are usually
// TypeScript: tsx loads them. The other commands read handler files as text and start faster without it.
if (argv[0] === 'run' || argv[0] === 'dev') {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    // The offline engine (aws-local-stepfunctions) and middy need Node 22.
    process.stderr.write(`stepflow ${argv[0]}: needs Node.js 22 or later, this is ${process.version}\n`);
    process.exit(2);
  }
  const { register } = await import('tsx/esm/api');
  register();
}

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  process.stderr.write('stepflow: dist/ is missing; run `npm run build` in the stepflow checkout\n');
  process.exit(1);
}
try {
  process.exitCode = await cli.runCli(argv);
} catch (error) {
  process.stderr.write(`stepflow: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
