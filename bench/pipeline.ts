/**
 * Pipelines: items per second through a no-op fan-out stage offline, at max_concurrency 10 and 40, and
 * the state transitions per item of the compiled ASL on the success path (what Standard workflows
 * bill): the Map's minimum is one per item (its task) plus the Map state itself.
 * Size: PIPELINE_BENCH_ITEMS items (default 1000).
 */
import { fileURLToPath } from 'node:url';
import { successPath } from '../core/compiler/analysis.ts';
import { compileWorkflow } from '../core/compiler/compile.ts';
import { LocalEngine } from '../local/engine/local-engine.ts';
import { loadDefinitionText } from '../project/definition-files.ts';

export interface PipelineFigures {
  readonly items: number;
  /** Items per second through the fan-out stage, by max_concurrency. */
  readonly itemsPerSecond: Record<string, number>;
  /** Transitions each item adds on the success path. */
  readonly transitionsPerItem: number;
  /** Transitions of the fan-out stage that do not depend on the item count (the Map state). */
  readonly fixedTransitions: number;
}

const FILE = fileURLToPath(new URL('./fixtures/pipeline.yaml', import.meta.url));

function plan(concurrency: number) {
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: pipeline_${concurrency}
  stages:
    - { name: each, for_each: $.input.items, max_concurrency: ${concurrency}, task: { name: noop_item, handler: ./pipeline-item.ts#item } }
`, FILE);
  if (!definition) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return compileWorkflow(definition);
}

export async function pipelineBench(options: { items?: number } = {}): Promise<PipelineFigures> {
  const items = options.items ?? Number(process.env.PIPELINE_BENCH_ITEMS ?? 1000);
  const concurrencies = [10, 40];
  const plans = concurrencies.map(plan);
  const engine = new LocalEngine({ plans });
  const input = { items: Array.from({ length: items }, (_, i) => i) };
  const itemsPerSecond: Record<string, number> = {};
  try {
    for (const concurrency of concurrencies) {
      const started = performance.now();
      const done = await engine.wait((await engine.start(`pipeline_${concurrency}`, input)).executionArn);
      const seconds = (performance.now() - started) / 1000;
      if (done.status !== 'SUCCEEDED') throw new Error(`pipeline_${concurrency} ended ${done.status}: ${done.error} ${done.cause}`);
      itemsPerSecond[`max_concurrency_${concurrency}`] = Math.round(items / seconds);
    }
  } finally {
    await engine.close();
  }
  // successPath counts one iteration of a fan-out: the Map state and one item.
  const map = plans[0].asl.States.each;
  if (map.Type !== 'Map' || !map.ItemProcessor) throw new Error('the fan-out stage is not a Map state');
  const perItem = successPath(map.ItemProcessor).transitions;
  return { items, itemsPerSecond, transitionsPerItem: perItem, fixedTransitions: successPath(plans[0].asl).transitions - perItem };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await pipelineBench(), null, 2));
