import { nextOf, type AslState, type StateMachineDefinition } from '../asl/index.ts';
import { hasErrors, type Diagnostic } from '../definition/diagnostics.ts';
import type { WorkflowDefinition } from '../definition/model.ts';
import { DefinitionError } from '../errors.ts';
import { successPath } from './analysis.ts';
import { awsLimitDiagnostics } from './aws-limits.ts';
import { AslEmitter, taskTimeoutSeconds } from './emit.ts';
import { taskFunctions } from './functions.ts';
import type { SerialisedEdge } from './graph.ts';
import type { WorkflowPlan } from './plan.ts';
import { needsPipelineFunction, pipelineFunction } from './states/fan-out.ts';
import { approvalsFunction, hasApprovals } from './states/approval.ts';
import { stateNames } from './states/names.ts';
import { tasksOf } from './structure.ts';
import { compensationServices, compensationTasks, isSaga, sagaFunction, sagaStates } from './states/saga.ts';
import { chooseStrategy, type StrategyChoice } from './strategy.ts';
import { referencedServices } from './service-payload.ts';
import { compileTriggers } from './triggers.ts';

export interface CompileOptions {
  /**
   * Folder that handler ids are relative to.
   * @default the definition's `projectRoot`
   */
  readonly projectRoot?: string;
}

/** Tasks named one by one in `serialised_edge` warnings; the rest are counted in one more. */
const MAX_SERIALISED_WARNINGS = 10;

/**
 * Definition → plan: the ASL state machine and everything it needs. Throws DefinitionError, with
 * every diagnostic, when the state machine would break an AWS limit.
 */
export function compileWorkflow(definition: WorkflowDefinition, options: CompileOptions = {}): WorkflowPlan {
  const { plan, diagnostics } = checkWorkflow(definition, options);
  if (!plan) {
    throw new DefinitionError(`workflow "${definition.name}" breaks AWS limits:\n${diagnostics.map((d) => d.message).join('\n')}`, { diagnostics });
  }
  return plan;
}

/** Compiles and reports every problem: the plan (absent when there are errors) and the diagnostics, warnings included. */
export function checkWorkflow(definition: WorkflowDefinition, options: CompileOptions = {}): { plan?: WorkflowPlan; diagnostics: Diagnostic[] } {
  // A saga runs nested states: gated branches keep only their own results (validation refuses dag: gated).
  const first = compileWith(definition, options, chooseStrategy(isSaga(definition) ? { ...definition, engine: { ...definition.engine, dag: 'nested' } } : definition));
  // `auto` chose gated, but the gated form breaks a limit (its extra states count): nested states, then.
  if (first.strategy.kind === 'gated' && (definition.engine.dag ?? 'auto') === 'auto' && hasErrors(first.diagnostics)) {
    const codes = [...new Set(first.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].join(', ');
    const nested = compileWith(definition, options, chooseStrategy(definition, { gatedRefusedBecause: `the gated form would break AWS limits (${codes})` }));
    return { plan: nested.plan, diagnostics: nested.diagnostics };
  }
  return { plan: first.plan, diagnostics: first.diagnostics };
}

function compileWith(definition: WorkflowDefinition, options: CompileOptions, strategy: StrategyChoice): { plan?: WorkflowPlan; diagnostics: Diagnostic[]; strategy: StrategyChoice } {
  const projectRoot = options.projectRoot ?? definition.projectRoot;
  const saga = isSaga(definition);
  const emitter = new AslEmitter(definition, projectRoot, stateNames.sagaOrder());
  const States: Record<string, AslState> = {};
  const StartAt = strategy.gated
    ? emitter.emitGated(strategy.gated, strategy.limit, States)
    : emitter.emit(strategy.structure!, States, { first: true });
  if (saga) {
    // Tasks in the order they run (a series in order, branches one after another), fallbacks last.
    const runOrder = strategy.structure ? tasksOf(strategy.structure) : [];
    const order = [...runOrder, ...definition.tasks.map((t) => t.name).filter((t) => !runOrder.includes(t))];
    const compiled = sagaStates(definition, order, (t) => taskTimeoutSeconds(t, definition), projectRoot);
    Object.assign(States, compiled.states);
    Object.assign(emitter.taskStates, compiled.taskStates);
  }

  const asl: StateMachineDefinition = {
    ...(definition.description ? { Comment: definition.description } : {}),
    StartAt,
    States: inRunOrder(StartAt, States),
    ...(definition.engine.timeoutSeconds ? { TimeoutSeconds: definition.engine.timeoutSeconds } : {}),
  };
  const warnings = serialisedWarnings(definition, strategy.serialised);
  const errors = awsLimitDiagnostics(definition, asl, emitter.taskStates);
  const diagnostics = [...errors, ...warnings];
  if (hasErrors(errors)) return { diagnostics, strategy };

  const serviceNames = [...new Set([...referencedServices(definition), ...compensationServices(definition)])];
  const plan: WorkflowPlan = {
    name: definition.name,
    description: definition.description,
    file: definition.file,
    mode: definition.engine.mode === 'express' ? 'EXPRESS' : 'STANDARD',
    asl,
    functions: [
      ...taskFunctions([...definition.tasks, ...compensationTasks(definition)], projectRoot, definition.scheduling),
      ...(saga ? [sagaFunction()] : []),
      ...(needsPipelineFunction(definition.tasks) ? [pipelineFunction()] : []),
      ...(hasApprovals(definition.tasks) ? [approvalsFunction()] : []),
    ],
    services: serviceNames.map((name) => ({ name, definition: definition.services[name] })),
    taskStates: emitter.taskStates,
    inputSchema: definition.inputSchema,
    timeoutSeconds: definition.engine.timeoutSeconds,
    triggers: compileTriggers(definition.triggers),
    scheduling: definition.scheduling,
    alerts: definition.alerts,
    ...(definition.pools ? { pools: definition.pools } : {}),
    strategy: {
      kind: strategy.kind,
      reason: strategy.reason,
      makespanRatio: round(strategy.makespanRatio),
      ...(strategy.nestedMakespanRatio !== undefined ? { nestedMakespanRatio: round(strategy.nestedMakespanRatio) } : {}),
      transitions: successPath(asl).transitions,
      ...(strategy.limit !== undefined ? { maxConcurrentTasks: strategy.limit } : {}),
    },
    warnings,
  };
  return { plan, diagnostics, strategy };
}

const round = (ratio: number) => Math.round(ratio * 1000) / 1000;

/**
 * One warning per task that waits for tasks it does not depend on (the nested form's price), naming
 * them; past MAX_SERIALISED_WARNINGS tasks, one more warning counts the rest.
 */
function serialisedWarnings(definition: WorkflowDefinition, serialised: readonly SerialisedEdge[]): Diagnostic[] {
  const waits = new Map<string, string[]>();
  for (const edge of serialised) waits.set(edge.task, [...(waits.get(edge.task) ?? []), edge.waitsFor]);
  const index = new Map(definition.tasks.map((t, i) => [t.name, i]));
  const tasks = [...waits.keys()].sort((a, b) => index.get(a)! - index.get(b)!);
  const warnings: Diagnostic[] = tasks.slice(0, MAX_SERIALISED_WARNINGS).map((task) => {
    const names = waits.get(task)!.map((w) => `"${w}"`);
    return {
      code: 'serialised_edge',
      severity: 'warning',
      file: definition.file,
      line: definition.lines?.[task],
      path: ['workflow', 'tasks', index.get(task)!, 'depends_on'],
      message: `task "${task}" also waits for ${names.join(', ')}: nested Parallel states cannot express this dependency graph exactly (engine.dag: gated runs it exactly)`,
    };
  });
  if (tasks.length > MAX_SERIALISED_WARNINGS) {
    const rest = tasks.length - MAX_SERIALISED_WARNINGS;
    warnings.push({
      code: 'serialised_edge',
      severity: 'warning',
      file: definition.file,
      path: ['workflow', 'tasks'],
      message: `${rest} more task${rest === 1 ? '' : 's'} also wait for tasks they do not depend on`,
    });
  }
  return warnings;
}

/**
 * States listed in the order they run (following Next, then Choice and Catch targets), so compiled ASL
 * reads top to bottom; the emitter writes them last-first. Branches and Map iterations are ordered the same way.
 */
function inRunOrder(startAt: string, states: Record<string, AslState>): Record<string, AslState> {
  const ordered: Record<string, AslState> = {};
  const visit = (name: string | undefined) => {
    if (!name || name in ordered || !(name in states)) return;
    const state = states[name];
    if (state.Type === 'Parallel') {
      ordered[name] = { ...state, Branches: state.Branches.map((b) => ({ StartAt: b.StartAt, States: inRunOrder(b.StartAt, b.States) })) };
    } else if (state.Type === 'Map' && state.ItemProcessor) {
      const p = state.ItemProcessor;
      ordered[name] = { ...state, ItemProcessor: { ...p, States: inRunOrder(p.StartAt, p.States) } };
    } else {
      ordered[name] = state;
    }
    visit(nextOf(state));
    if (state.Type === 'Choice') {
      for (const rule of state.Choices) visit(rule.Next);
      visit(state.Default);
    }
    if ('Catch' in state) for (const catcher of state.Catch ?? []) visit(catcher.Next);
  };
  visit(startAt);
  return ordered;
}
