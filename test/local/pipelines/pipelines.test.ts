import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { pipelineLog, type PipelineInput } from '../fixtures/handlers/pipeline.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

function compiled(yaml: string): WorkflowPlan {
  const { definition, diagnostics } = loadDefinitionText(yaml, `${DEFINITIONS}pipeline.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

const ITEM = '../handlers/pipeline.ts#item';
const LIST = '../handlers/pipeline.ts#list';

const engine = new LocalEngine({
  retryIntervalMs: 0,
  plans: [
    compiled(`workflow:
  name: doubling
  stages:
    - name: listing
      tasks: [{ name: list_items, handler: ${LIST} }]
    - { name: double, for_each: $.results.list_items.keys, max_concurrency: 10, task: { name: double_item, handler: ${ITEM} } }
`),
    compiled(`workflow:
  name: tolerant
  stages:
    - { name: double, for_each: $.input.items, max_concurrency: 4, tolerated_failure_percentage: 20, task: { name: double_item, handler: ${ITEM} } }
`),
  ],
});

afterAll(() => engine.close());

async function run(workflow: string, input: PipelineInput) {
  const started = await engine.start(workflow, input, { name: input.run });
  return engine.wait(started.executionArn);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('pipelines offline', () => {
  it('1,000 items at max_concurrency 10: never more than 10 handlers at once, every result collected in order', async () => {
    const done = await run('doubling', { run: 'thousand', items: range(1000) });
    expect(done.status).toBe('SUCCEEDED');
    const log = pipelineLog('thousand');
    expect(log.calls).toBe(1000);
    expect(log.mostAtOnce).toBeLessThanOrEqual(10);
    expect(log.mostAtOnce).toBeGreaterThan(1);
    // Every item's first attempt is attempt 0 (RetryCount counts per iteration).
    expect([...log.attempts]).toEqual([0]);
    const output = JSON.parse(done.output!) as { double: { doubled: number }[] };
    expect(output.double).toEqual(range(1000).map((i) => ({ doubled: i * 2 })));
  }, 120_000);

  it('failures within tolerated_failure_percentage: succeeds and reports them', async () => {
    const done = await run('tolerant', { run: 'few', items: range(10), fail: [3, 7] });
    expect(done.status).toBe('SUCCEEDED');
    const { double } = JSON.parse(done.output!) as { double: { items: unknown[]; failures: { index: number; error: string }[]; failed: number; total: number } };
    expect(double.failed).toBe(2);
    expect(double.total).toBe(10);
    expect(double.failures.map((f) => [f.index, f.error])).toEqual([[3, 'ItemBroken'], [7, 'ItemBroken']]);
    expect(double.items[3]).toBeNull();
    expect(double.items[4]).toEqual({ doubled: 8 });
  });

  it('failures beyond the tolerance: the execution fails with stepflow.ToleratedFailureExceeded', async () => {
    const done = await run('tolerant', { run: 'many', items: range(10), fail: [1, 2, 3] });
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('stepflow.ToleratedFailureExceeded');
    expect(done.cause).toContain('3 of 10 items failed');
  });
});

describe('large fan-outs offline', () => {
  it('a Distributed Map runs inline, with a warning saying so', async () => {
    const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: large_doubling
  stages:
    - { name: double, for_each: $.input.items, max_concurrency: 1000, large: true, task: { name: double_item, handler: ${ITEM} } }
`, `${DEFINITIONS}pipeline.yaml`);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'inline_offline', severity: 'warning', path: ['workflow', 'stages', 0, 'large'], line: 4 })]);
    const plan = compileWorkflow(definition!);
    const local = new LocalEngine({ retryIntervalMs: 0, plans: [plan] });
    try {
      const done = await local.wait((await local.start('large_doubling', { run: 'large', items: range(50) })).executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect((JSON.parse(done.output!) as { double: unknown[] }).double).toHaveLength(50);
    } finally {
      await local.close();
    }
  });
});
