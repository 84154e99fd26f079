/**
 * What a saga costs in state transitions (what Standard workflows bill), counted on the compiled ASL:
 * on the success path, the completion records (per compensable task); on the compensation path, the
 * states each compensation enters. An offline run checks that every completed task was compensated.
 * Size: SAGA_BENCH_TASKS compensable tasks in a series (default 20), then one task that fails.
 */
import { fileURLToPath } from 'node:url';
import { successPath } from '../core/compiler/analysis.ts';
import { compileWorkflow } from '../core/compiler/compile.ts';
import { loadDefinitionText } from '../project/definition-files.ts';
import { LocalEngine } from '../local/engine/local-engine.ts';

export interface SagaFigures {
  readonly completedTasks: number;
  /** Transitions of the success path with compensations declared, minus without, per task (the completion records). */
  readonly successOverheadPerTask: number;
  /** Transitions per compensation on the compensation path: the Map iteration's dispatch Choice and its Task state. */
  readonly compensationTransitionsPerTask: number;
  /** The fixed part of the compensation path: order, Map, report, Fail. */
  readonly compensationFixedTransitions: number;
  /** Task states the offline engine entered after the failure (compensations + order + report): checks the count above. */
  readonly taskStatesRunAfterFailure: number;
}

const FILE = fileURLToPath(new URL('./fixtures/saga.yaml', import.meta.url));

function plan(name: string, tasks: number, compensate: boolean) {
  const lines = Array.from({ length: tasks }, (_, i) =>
    `    - { name: t${i}, handler: ./saga.ts#step${i ? `, depends_on: [t${i - 1}]` : ''}${compensate ? ', compensate: ./saga.ts#undo' : ''} }`);
  lines.push(`    - { name: last, handler: ./saga.ts#step, depends_on: [t${tasks - 1}] }`);
  const { definition, diagnostics } = loadDefinitionText(`workflow:\n  name: ${name}\n  tasks:\n${lines.join('\n')}\n`, FILE);
  if (!definition) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return compileWorkflow(definition);
}

export async function sagaBench(options: { tasks?: number } = {}): Promise<SagaFigures> {
  const tasks = options.tasks ?? Number(process.env.SAGA_BENCH_TASKS ?? 20);
  const engine = new LocalEngine({ plans: [plan('saga', tasks, true)] });
  const entered = async (workflow: string, input: unknown) => {
    const { executionArn } = await engine.start(workflow, input);
    await engine.wait(executionArn);
    // The engine's history records Task states (their Pass and Choice states are not in it).
    return (await engine.history(executionArn)).filter((e) => e.type === 'TaskStateEntered').length;
  };
  try {
    const saga = plan('saga', tasks, true);
    const plain = plan('plain', tasks, false);
    const map = saga.asl.States['saga.compensate'];
    if (map.Type !== 'Map' || !map.ItemProcessor) throw new Error('saga.compensate is not a Map state');
    const processor = map.ItemProcessor;
    // One iteration: its dispatch Choice, then the compensation's own states.
    const perCompensation = 1 + successPath(processor, 't0.compensate').transitions;
    // Up to the failing task the failed run enters what the successful one does; `last` fails on its own state.
    const sagaSuccess = await entered('saga', {});
    const sagaFailure = await entered('saga', { fail: 'last' });
    return {
      completedTasks: tasks,
      successOverheadPerTask: (successPath(saga.asl).transitions - successPath(plain.asl).transitions) / tasks,
      compensationTransitionsPerTask: perCompensation,
      compensationFixedTransitions: 4,
      taskStatesRunAfterFailure: sagaFailure - sagaSuccess,
    };
  } finally {
    await engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await sagaBench(), null, 2));
