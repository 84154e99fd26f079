import { startDevStack } from './dev-stack.ts';

/**
 * `npx tsx local/start.ts [definitionsDir]`: the dev stack until Ctrl-C (the CLI's `dev` command does
 * the same). Task progress is printed as it happens.
 */
const stack = await startDevStack({ definitionsDir: process.argv[2] ?? 'definitions' });
stack.engine.on('progress', (event) => {
  const where = `${event.workflow}/${event.executionArn.split(':').pop()} ${event.task}#${event.attempt}`;
  if (event.type === 'taskStarted') console.log(`▶ ${where}`);
  else if (event.type === 'taskSucceeded') console.log(`✔ ${where} ${event.durationMs} ms`);
  else console.log(`✖ ${where} ${event.durationMs} ms ${event.error}`);
});
let stopping = false;
const shutdown = () => {
  if (stopping) process.exit(1);
  stopping = true;
  void stack.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('✖ stopping the dev stack failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
