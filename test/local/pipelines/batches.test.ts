import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { plan } from '../fixtures/plans.ts';
import { sagaLog } from '../fixtures/handlers/saga.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

function compiled(yaml: string): WorkflowPlan {
  const { definition, diagnostics } = loadDefinitionText(yaml, `${DEFINITIONS}batches.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

const BATCH = '../handlers/batch.ts#doubleBatch';
const LIST = '../handlers/pipeline.ts#list';
const plans = [
  compiled(`workflow:
  name: inline_batches
  stages:
    - { name: double, for_each: $.input.items, max_concurrency: 3, batch_size: 4, task: { name: double_batch, handler: ${BATCH} } }
`),
  compiled(`workflow:
  name: inline_after
  stages:
    - { name: listing, tasks: [{ name: list_items, handler: ${LIST} }] }
    - { name: double, for_each: $.results.list_items.keys, max_concurrency: 3, batch_size: 3, task: { name: double_batch, handler: ${BATCH} } }
    - { name: last, tasks: [{ name: after, handler: ${LIST} }] }
`),
  compiled(`workflow:
  name: distributed_batches
  stages:
    - { name: listing, tasks: [{ name: list_items, handler: ${LIST} }] }
    - { name: double, for_each: $.results.list_items.keys, max_concurrency: 100, large: true, batch_size: 4, task: { name: double_batch, handler: ${BATCH} } }
`),
  ...[false, true].map((large) => compiled(`workflow:
  name: saga_batches_${large ? 'large' : 'inline'}
  stages:
    - { name: one, tasks: [{ name: reserve, handler: ../handlers/saga.ts#step, compensate: ../handlers/saga.ts#undo }] }
    - { name: two, for_each: $.input.items, max_concurrency: 2, batch_size: 2, large: ${large}, task: { name: dbl, handler: ${BATCH} } }
`)),
];
// States.ArrayPartition as https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays
// describes it: chunks of the given size in order, the last one holding what is left.
const partition = plan('partition', 'split', {
  split: { Type: 'Pass', Parameters: { 'chunks.$': 'States.ArrayPartition($.inputArray, 4)', 'whole.$': 'States.ArrayPartition($.inputArray, 9)', 'none.$': 'States.ArrayPartition($.empty, 2)' }, End: true },
}, []);
const badChunk = plan('bad_chunk', 'split', { split: { Type: 'Pass', Parameters: { 'chunks.$': 'States.ArrayPartition($.inputArray, 0)' }, End: true } }, []);
const engine = new LocalEngine({ retryIntervalMs: 0, plans: [...plans, partition, badChunk] });
afterAll(() => engine.close());

async function run(workflow: string, input: Record<string, unknown>) {
  const started = await engine.start(workflow, input);
  return engine.wait(started.executionArn);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('batched fan-outs offline', () => {
  it('inline: States.ArrayPartition makes batches of batch_size (the last one shorter); each iteration gets { items }, results in batch order', async () => {
    const done = await run('inline_batches', { items: range(10) });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      double: [
        { doubled: [0, 2, 4, 6], saw: [] },
        { doubled: [8, 10, 12, 14], saw: [] },
        { doubled: [16, 18], saw: [] },
      ],
    });
  });

  it('inline after other stages: the results pass through the partition untouched, and later stages see the batch results', async () => {
    const done = await run('inline_after', { run: 'inline-after', items: range(7) });
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(Object.keys(output).sort()).toEqual(['after', 'double', 'list_items']);
    expect(output.double.map((b: { doubled: number[] }) => b.doubled.length)).toEqual([3, 3, 1]);
    expect(output.double[0].saw).toEqual(['list_items']);
  });

  it('large: ItemBatcher batches run offline with the input a child execution gets ({ Items, BatchInput })', async () => {
    const done = await run('distributed_batches', { run: 'distributed', items: range(9) });
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(Object.keys(output).sort()).toEqual(['double', 'list_items']);
    expect(output.double.map((b: { doubled: number[] }) => b.doubled)).toEqual([[0, 2, 4, 6], [8, 10, 12, 14], [16]]);
    expect(output.double[0].saw).toEqual(['list_items']);
  });

  it('a failed batch fails the stage', async () => {
    const done = await run('inline_batches', { items: range(10), failOn: 5 });
    expect(done.status).toBe('FAILED');
    expect(done.cause).toContain('batch with 5 failed');
  });

  it.each(['inline', 'large'])('inside a saga (%s), a failed batch runs the compensations: the state data is the results again on the way', async (kind) => {
    const runName = `saga-batches-${kind}`;
    const done = await run(`saga_batches_${kind}`, { run: runName, items: [1, 2, 3], failOn: 3 });
    expect(done.status).toBe('FAILED');
    expect(done.cause).toContain('batch with 3 failed');
    expect(sagaLog(runName).calls.map((c) => ({ task: c.task, result: c.result }))).toEqual([{ task: 'reserve', result: { done: 'reserve' } }]);
  });

  it('the engine\'s States.ArrayPartition follows the AWS semantics, and refuses a chunk size that is not a positive integer', async () => {
    const done = await run('partition', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], empty: [] });
    expect(JSON.parse(done.output!)).toEqual({ chunks: [[1, 2, 3, 4], [5, 6, 7, 8], [9]], whole: [[1, 2, 3, 4, 5, 6, 7, 8, 9]], none: [] });
    const refused = await run('bad_chunk', { inputArray: [1, 2] });
    expect(refused.status).toBe('FAILED');
    expect(refused.error).toBe('States.Runtime');
  });
});
