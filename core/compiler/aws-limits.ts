import {
  MAX_DEFINITION_BYTES,
  MAX_HISTORY_EVENTS,
  MAX_NESTED_INTRINSICS,
  MAX_STATE_NAME_LENGTH,
  type AslState,
  type Branch,
  type StateMachineDefinition,
} from '../asl/index.ts';
import type { DefinitionPath, Diagnostic, DiagnosticCode } from '../definition/diagnostics.ts';
import type { WorkflowDefinition } from '../definition/model.ts';
import type { TaskStatePlan } from './plan.ts';

/**
 * What Step Functions would refuse to create or run, found before anything is deployed: too many
 * intrinsic functions in a field, state names over 80 characters, a definition over 1 MB, and (for
 * Standard workflows) more history events than one execution may write. Quotas:
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export function awsLimitDiagnostics(
  definition: WorkflowDefinition,
  asl: StateMachineDefinition,
  taskStates: Readonly<Record<string, TaskStatePlan>>,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const index = new Map(definition.tasks.map((t, i) => [t.name, i]));
  const report = (code: DiagnosticCode, task: string | undefined, message: string, field?: string) => {
    const i = task === undefined ? undefined : index.get(task);
    const path: DefinitionPath = i === undefined ? ['workflow', 'tasks'] : ['workflow', 'tasks', i, ...(field ? [field] : [])];
    found.push({ code, severity: 'error', file: definition.file, line: task ? definition.lines?.[task] : undefined, path, message });
  };

  const history = new Map<string, number>();
  let events = 2; // ExecutionStarted, ExecutionSucceeded (or Failed)
  const visit = (machine: Branch<AslState>) => {
    for (const [name, state] of Object.entries(machine.States)) {
      const task = taskStates[name]?.task;
      if (name.length > MAX_STATE_NAME_LENGTH) {
        report('state_name_too_long', task, `state name "${name.slice(0, 30)}…" has ${name.length} characters; Step Functions allows ${MAX_STATE_NAME_LENGTH}`);
      }
      for (const [field, expression] of templateExpressions(state)) {
        const calls = (expression.match(/States\.[A-Za-z]+\(/g) ?? []).length;
        if (calls > MAX_NESTED_INTRINSICS) {
          report('intrinsic_nesting', task, `state "${name}" field ${field} holds ${calls} intrinsic functions; Step Functions allows ${MAX_NESTED_INTRINSICS} in one field`);
        }
      }
      const cost = stateEvents(state);
      events += cost;
      if (task !== undefined) history.set(task, (history.get(task) ?? 0) + cost);
      if (state.Type === 'Parallel') for (const branch of state.Branches) visit(branch);
      const processor = state.Type === 'Map' ? (state.ItemProcessor ?? state.Iterator) : undefined;
      if (processor) {
        // Each iteration writes two events and enters the processor's first state; the compiler's Maps
        // start with a Choice naming one task per iteration, and each task's states run in one iteration.
        const start = processor.States[processor.StartAt];
        const items = start?.Type === 'Choice' ? start.Choices.length : 1;
        events += items * 2 + (items - 1) * (start ? stateEvents(start) : 0);
        visit(processor);
      }
    }
  };
  visit(asl);

  const bytes = new TextEncoder().encode(JSON.stringify(asl)).length;
  if (bytes > MAX_DEFINITION_BYTES) {
    report('definition_too_large', undefined, `the state machine definition takes ${bytes} bytes; Step Functions allows ${MAX_DEFINITION_BYTES} (split the workflow)`);
  }
  if (definition.engine.mode === 'standard' && events > MAX_HISTORY_EVENTS) {
    const [task, most] = [...history].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
    const retried = definition.tasks.find((t) => t.name === task)?.retries;
    report('history_too_long', task,
      `an execution could write ${events} history events; Standard workflows allow ${MAX_HISTORY_EVENTS}` +
        (task ? ` (task "${task}" alone up to ${most}${retried ? `, with ${retried} retries` : ''})` : ''),
      retried ? 'retries' : undefined);
  }
  return found;
}

/**
 * Worst-case history events of one state, entered once: a Task writes entered and exited, and four
 * events per attempt (scheduled, started, submitted or succeeded, failed), every retry used; Parallel
 * and Map write entered, started, succeeded and exited; Pass and Choice entered and exited.
 */
export function stateEvents(state: AslState): number {
  if (state.Type === 'Task') {
    const attempts = 1 + (state.Retry ?? []).reduce((sum, r) => sum + (r.MaxAttempts ?? 3), 0);
    return 2 + 4 * attempts;
  }
  if (state.Type === 'Parallel' || state.Type === 'Map') return 4;
  return 2;
}

/** Every `"<key>.$"` string of a state's payload templates, with where it is. */
function* templateExpressions(state: AslState): Generator<[string, string]> {
  const templates: [string, unknown][] = [];
  if ('Parameters' in state) templates.push(['Parameters', state.Parameters]);
  if ('ResultSelector' in state) templates.push(['ResultSelector', state.ResultSelector]);
  if ('ItemSelector' in state) templates.push(['ItemSelector', state.ItemSelector]);
  const walk = function* (value: unknown, at: string): Generator<[string, string]> {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key.endsWith('.$') && typeof inner === 'string') yield [`${at}.${key}`, inner];
      else yield* walk(inner, `${at}.${key}`);
    }
  };
  for (const [name, template] of templates) yield* walk(template, name);
}
