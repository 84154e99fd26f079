import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { pipelineLog } from '../fixtures/handlers/pipeline.ts';
import { sagaLog } from '../fixtures/handlers/saga.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));
const ITEM = '../handlers/pipeline.ts#item';
const BATCH = '../handlers/batch.ts#doubleBatch';

function compiled(yaml: string): WorkflowPlan {
  const { definition, diagnostics } = loadDefinitionText(yaml, `${DEFINITIONS}s3-items.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

const s3Dir = mkdtempSync(join(tmpdir(), 'stepflow-s3-items-'));
function putObject(bucket: string, key: string, body: string): void {
  const file = join(s3Dir, bucket, key);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const engine = new LocalEngine({
  retryIntervalMs: 0,
  s3Dir,
  plans: [
    compiled(`workflow:
  name: from_s3
  stages:
    - { name: double, for_each: s3://item-sets/runs/thousand.json, max_concurrency: 10, large: true, task: { name: double_item, handler: ${ITEM} } }
    - { name: after, tasks: [{ name: list_items, handler: ../handlers/pipeline.ts#list }] }
`),
    compiled(`workflow:
  name: from_s3_big
  stages:
    - { name: double, for_each: s3://item-sets/runs/big.json, max_concurrency: 40, large: true, task: { name: double_item, handler: ${ITEM} } }
`),
    compiled(`workflow:
  name: from_s3_lines
  stages:
    - { name: double, for_each: { s3: { bucket: item-sets, key: lines.jsonl }, format: jsonl }, max_concurrency: 2, large: true, batch_size: 3, task: { name: double_batch, handler: ${BATCH} } }
`),
    compiled(`workflow:
  name: from_s3_csv
  stages:
    - { name: echo, for_each: { s3: { bucket: item-sets, key: rows.csv }, format: csv }, max_concurrency: 2, large: true, task: { name: echo_row, handler: ../handlers/item-echo.ts#itemEcho } }
`),
    ...['missing', 'failing'].map((key) => compiled(`workflow:
  name: saga_from_s3_${key}
  stages:
    - { name: one, tasks: [{ name: reserve, handler: ../handlers/saga.ts#step, compensate: ../handlers/saga.ts#undo }] }
    - { name: two, for_each: s3://item-sets/saga-${key}.json, max_concurrency: 2, large: true, batch_size: 2, task: { name: dbl, handler: ${BATCH} } }
`)),
    compiled(`workflow:
  name: from_s3_missing
  stages:
    - { name: double, for_each: s3://item-sets/nowhere.json, max_concurrency: 2, large: true, task: { name: double_item, handler: ${ITEM} } }
`),
  ],
});

afterAll(async () => {
  await engine.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

describe('fan-outs over an S3 object offline', () => {
  it('reads 1,000 items from <s3Dir>/<bucket>/<key> and runs them inline, max_concurrency at once, results in order', async () => {
    putObject('item-sets', 'runs/thousand.json', JSON.stringify(range(1000)));
    const started = await engine.start('from_s3', { run: 's3-thousand', items: [] }, { name: 's3-thousand' });
    const done = await engine.wait(started.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const log = pipelineLog('s3-thousand');
    expect(log.calls).toBe(1000);
    expect(log.mostAtOnce).toBeLessThanOrEqual(10);
    expect(log.mostAtOnce).toBeGreaterThan(1);
    const output = JSON.parse(done.output!) as { double: { doubled: number }[]; list_items: unknown };
    expect(output.double).toEqual(range(1000).map((i) => ({ doubled: i * 2 })));
    // The next stage runs on the state data as it was, plus the stage's result (the items are no state data).
    expect(output).not.toHaveProperty('items');
    expect(output.list_items).toEqual({ keys: [] });
  }, 120_000);

  it('reads an object larger than the state payload limit: the items are no state data', async () => {
    putObject('item-sets', 'runs/big.json', JSON.stringify(range(300).map((i) => `${i}`.padEnd(1000, '.'))));
    const started = await engine.start('from_s3_big', { run: 's3-big', items: [] });
    const done = await engine.wait(started.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(pipelineLog('s3-big').calls).toBe(300);
    expect((JSON.parse(done.output!) as { double: unknown[] }).double).toHaveLength(300);
  });

  it('reads JSON lines in batches of batch_size (ItemBatcher)', async () => {
    putObject('item-sets', 'lines.jsonl', `${range(7).join('\n')}\n`);
    const done = await engine.wait((await engine.start('from_s3_lines', { run: 's3-lines' })).executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as { double: { doubled: number[] }[] };
    expect(output.double.map((b) => b.doubled)).toEqual([[0, 2, 4], [6, 8, 10], [12]]);
  });

  it('reads CSV rows as objects keyed by the first row (quoted fields may hold commas and quotes)', async () => {
    putObject('item-sets', 'rows.csv', 'id,name\r\n1,"Smith, ""Jo"""\r\n2,plain\r\n');
    const done = await engine.wait((await engine.start('from_s3_csv', {})).executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as { echo: { item: unknown; index: number }[] };
    expect(output.echo.map((r) => [r.item, r.index])).toEqual([[{ id: '1', name: 'Smith, "Jo"' }, 0], [{ id: '2', name: 'plain' }, 1]]);
  });

  it('a missing object fails the stage with States.ItemReaderFailed naming the file', async () => {
    const done = await engine.wait((await engine.start('from_s3_missing', { run: 's3-missing', items: [] })).executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.ItemReaderFailed');
    expect(done.cause).toContain('S3.NoSuchKey');
    expect(done.cause).toContain(join(s3Dir, 'item-sets', 'nowhere.json'));
    expect(pipelineLog('s3-missing').calls).toBe(0);
  });

  it.each(['missing', 'failing'])('inside a saga, a %s item set runs the compensations', async (key) => {
    if (key === 'failing') putObject('item-sets', 'saga-failing.json', JSON.stringify([1, 2, 3]));
    const run = `saga-s3-${key}`;
    const done = await engine.wait((await engine.start(`saga_from_s3_${key}`, { run, failOn: 3 })).executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.cause).toContain(key === 'missing' ? 'S3.NoSuchKey' : 'batch with 3 failed');
    expect(sagaLog(run).calls.map((c) => ({ task: c.task, result: c.result }))).toEqual([{ task: 'reserve', result: { done: 'reserve' } }]);
  });
});
