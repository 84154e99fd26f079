import { Ajv } from 'ajv';
import {
  LAMBDA_TIMEOUT_MARGIN_SECONDS,
  MAX_EXPRESS_DURATION_SECONDS,
  MAX_LAMBDA_TIMEOUT_SECONDS,
  MAX_STANDARD_DURATION_SECONDS,
  MAX_STATE_MACHINE_NAME_LENGTH,
  MAX_STATE_NAME_LENGTH,
} from '../asl/limits.ts';
import { closest, type DefinitionPath, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics.ts';
import { parseDuration } from './duration.ts';
import { declaresExport, resolveHandler } from './handlers.ts';
import type { DefinitionHost } from './host.ts';
import { validateTriggers } from './triggers.ts';
import { validateCompensations } from './validate-compensations.ts';
import { validateOrchestration } from './orchestration-model.ts';
import { validatePools } from './pools.ts';
import { validateApprovals } from './approval.ts';
import { validateCallbackChannels } from './callback-channel.ts';
import type { DefinitionFile, TaskSpec } from './schema.ts';

/** Task names become state names and JSONPath keys. */
const TASK_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Leaves room for the suffixes of the states added around a task; longer generated names are shortened with a hash. */
const MAX_TASK_NAME = 64;
/** State machine names: letters, digits, hyphens and underscores, within Step Functions' length limit. */
const WORKFLOW_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_STATE_MACHINE_NAME_LENGTH}}$`);

/**
 * A task's state timeout must leave LAMBDA_TIMEOUT_MARGIN_SECONDS before its Lambda's timeout, and a
 * Lambda runs at most MAX_LAMBDA_TIMEOUT_SECONDS: so the state timeout fires first, as States.Timeout.
 */
const MAX_TASK_TIMEOUT_SECONDS = MAX_LAMBDA_TIMEOUT_SECONDS - LAMBDA_TIMEOUT_MARGIN_SECONDS;
const TIMEOUT_MARGIN_WHY = ` (Lambda runs at most ${MAX_LAMBDA_TIMEOUT_SECONDS}s and needs ${LAMBDA_TIMEOUT_MARGIN_SECONDS}s more than the task's timeout)`;

type Report = (code: DiagnosticCode, path: DefinitionPath, message: string, severity?: Severity) => void;

/**
 * Checks that need the whole definition (names, the dependency graph, files on disk). Runs only on a
 * document that passed the schema; reports every problem it finds.
 */
export function validateDefinition(spec: DefinitionFile, file: string, workflowName: string, host: DefinitionHost): Omit<Diagnostic, 'file' | 'line'>[] {
  const found: Omit<Diagnostic, 'file' | 'line'>[] = [];
  const report: Report = (code, path, message, severity = 'error') => found.push({ code, severity, path, message });
  const { workflow } = spec;
  const tasks = workflow.tasks ?? [];

  if (!WORKFLOW_NAME.test(workflowName)) {
    report('invalid_name', workflow.name ? ['workflow', 'name'] : ['workflow'],
      `workflow name "${workflowName}" must be 1-${MAX_STATE_MACHINE_NAME_LENGTH} letters, digits, hyphens or underscores`);
  }

  const firstIndex = new Map<string, number>();
  tasks.forEach((task, i) => {
    const path = ['workflow', 'tasks', i, 'name'];
    if (task.name.length > MAX_TASK_NAME) {
      report('name_too_long', path, `task name "${task.name.slice(0, 20)}…" has ${task.name.length} characters; at most ${MAX_TASK_NAME} (Step Functions state names allow ${MAX_STATE_NAME_LENGTH}, and stepflow adds suffixes)`);
    } else if (!TASK_NAME.test(task.name)) {
      report('invalid_name', path, `task name "${task.name}" must be letters, digits and underscores, starting with a letter`);
    }
    if (firstIndex.has(task.name)) {
      report('duplicate_name', path, `duplicate task name "${task.name}" (first used at tasks[${firstIndex.get(task.name)}])`);
    } else {
      firstIndex.set(task.name, i);
    }
  });
  const names = [...firstIndex.keys()];
  const fallbacks = new Set(tasks.map((t) => t.on_failure).filter((f): f is string => !!f && f !== 'fail' && f !== 'continue'));

  tasks.forEach((task, i) => {
    const at = (...rest: (string | number)[]) => ['workflow', 'tasks', i, ...rest];
    (task.depends_on ?? []).forEach((dep, j) => {
      if (dep === task.name) report('cycle', at('depends_on', j), `task "${task.name}" depends on itself`);
      else if (!firstIndex.has(dep)) report('unknown_dependency', at('depends_on', j), unknownName('dependency', dep, names));
      else if (fallbacks.has(dep)) report('depends_on_fallback', at('depends_on', j), `"${dep}" runs only as a fallback (on_failure), so no task can depend on it`);
    });
    const onFailure = task.on_failure;
    if (onFailure && onFailure !== 'fail' && onFailure !== 'continue') {
      if (onFailure === task.name) report('invalid_fallback', at('on_failure'), `task "${task.name}" cannot be its own fallback`);
      else if (!firstIndex.has(onFailure)) report('unknown_task', at('on_failure'), `on_failure must be fail, continue or a task name; ${unknownName('task', onFailure, names)}`);
    }
    if (fallbacks.has(task.name) && task.depends_on?.length) {
      report('fallback_has_dependencies', at('depends_on'), `"${task.name}" is a fallback (on_failure of another task), so it cannot have depends_on`);
    }
    if (task.type !== 'approval') checkTaskKind(task, file, spec, at, report, host);
    if (task.type !== 'callback') {
      for (const key of ['via', 'heartbeat'] as const) {
        if (task[key] !== undefined) report('invalid_value', at(key), `"${key}" applies to type: callback; task "${task.name}" is a ${task.type ?? 'function'} task`);
      }
    }
    if (task.type === 'callback') checkCallback(task, at, spec, report);
    else if (task.type !== 'approval') checkSeconds(task.timeout, at('timeout'), 'timeout', 1, MAX_TASK_TIMEOUT_SECONDS, report, TIMEOUT_MARGIN_WHY);
    checkEstimate(task.estimate, at('estimate'), report);
    checkSeconds(task.backoff?.interval, at('backoff', 'interval'), 'backoff.interval', 1, 99_999_999, report);
    checkSeconds(task.backoff?.max_delay, at('backoff', 'max_delay'), 'backoff.max_delay', 1, 31_622_400, report);
  });

  for (const loop of fallbackLoops(tasks)) {
    report('cycle', ['workflow', 'tasks', firstIndex.get(loop[0])!, 'on_failure'], `fallback loop: ${[...loop, loop[0]].join(' → ')} (each falls back to the next)`);
  }

  for (const cycle of findCycles(tasks)) {
    const i = firstIndex.get(cycle[0])!;
    report('cycle', ['workflow', 'tasks', i, 'depends_on'], `dependency cycle: ${[...cycle, cycle[0]].join(" → ")} (each depends on the next)`);
  }

  const engine = workflow.engine ?? {};
  const express = engine.mode === 'express';
  checkSeconds(engine.timeout, ['workflow', 'engine', 'timeout'], 'engine.timeout', 1,
    express ? MAX_EXPRESS_DURATION_SECONDS : MAX_STANDARD_DURATION_SECONDS, report,
    express ? ' (express workflows run at most 5 minutes)' : '');
  for (const [name, service] of Object.entries(workflow.services ?? {})) {
    checkSeconds(service.timeout, ['workflow', 'services', name, 'timeout'], 'timeout', 1, MAX_TASK_TIMEOUT_SECONDS, report, TIMEOUT_MARGIN_WHY);
  }
  if (engine.dag === 'gated' && express) {
    // Express workflows support only the request-response integration pattern, not .waitForTaskToken:
    // https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
    report('unsupported_strategy', ['workflow', 'engine', 'dag'], 'engine.dag "gated" needs a standard workflow: express workflows cannot wait for a task token (use nested or auto)');
  }
  validateTriggers(spec, report);
  validateCompensations(spec, file, host, report);
  validateOrchestration({ ...workflow, tasks }, spec.orchestration, report);
  validatePools(spec, file, host, report);
  validateApprovals(spec, report);
  validateCallbackChannels(spec, report);
  if (workflow.input_schema) {
    try {
      new Ajv({ allErrors: true, strict: false }).compile(workflow.input_schema);
    } catch (error) {
      report('invalid_input_schema', ['workflow', 'input_schema'], `input_schema is not a valid JSON Schema: ${(error as Error).message}`);
    }
  }
  return found;
}

function checkTaskKind(task: TaskSpec, file: string, spec: DefinitionFile, at: (...rest: (string | number)[]) => DefinitionPath, report: Report, host: DefinitionHost) {
  if ((task.type ?? 'function') !== 'function') {
    if (task.handler) report('handler_on_service', at('handler'), `task "${task.name}" is a ${task.type} task; it calls a service, not a handler`);
    const service = task.service ?? task.name;
    if (task.type === 'callback' && (task.via ?? 'http') !== 'http') return; // no service: checked in callback-channel.ts
    if (!task.services && !spec.workflow.services?.[service]) {
      report('unknown_service', at(task.service ? 'service' : 'type'),
        `service "${service}" is not declared under workflow.services; it must be registered before the task runs`, 'warning');
    }
    return;
  }
  if (task.pool !== undefined) return; // the pool's handler runs it (checked in pools.ts)
  if (task.service) report('service_on_function', at('service'), `task "${task.name}" is a function task; "service" applies to type: service`);
  const ref = resolveHandler(file, host.projectRoot, task.name, task.handler);
  const source = host.readModule(ref.file);
  const shown = host.displayPath ?? ((f: string) => f);
  const path = task.handler ? at('handler') : at('name');
  if (source === undefined) {
    report('handler_not_found', path, `handler file ${shown(ref.file)} does not exist${task.handler ? '' : ' (default handler for this task; set "handler" to use another)'}`);
  } else if (!declaresExport(source, ref.exportName)) {
    report('export_not_found', path, `handler file ${shown(ref.file)} has no export "${ref.exportName}"`);
  }
}

/** A callback waits for its token as long as an execution may run; its heartbeat must come sooner than its timeout. */
function checkCallback(task: TaskSpec, at: (...rest: (string | number)[]) => DefinitionPath, spec: DefinitionFile, report: Report) {
  const express = spec.workflow.engine?.mode === 'express';
  if (express) {
    // https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html: Express workflows do not support .waitForTaskToken.
    report('unsupported_strategy', at('type'), `task "${task.name}" is a callback task: it waits for a task token, which express workflows cannot do`);
  }
  checkSeconds(task.timeout, at('timeout'), 'timeout', 1, MAX_STANDARD_DURATION_SECONDS, report);
  checkSeconds(task.heartbeat, at('heartbeat'), 'heartbeat', 1, MAX_STANDARD_DURATION_SECONDS, report);
  const timeout = task.timeout === undefined ? undefined : parseDuration(task.timeout);
  const heartbeat = task.heartbeat === undefined ? undefined : parseDuration(task.heartbeat);
  if (timeout !== undefined && heartbeat !== undefined && heartbeat >= timeout) {
    report('value_out_of_range', at('heartbeat'), `heartbeat (${heartbeat}s) must be shorter than the task's timeout (${timeout}s)`);
  }
}

function checkSeconds(value: unknown, path: DefinitionPath, field: string, min: number, max: number, report: Report, why = '') {
  if (value === undefined) return;
  const seconds = parseDuration(value);
  if (seconds === undefined) return; // the schema already reported it
  if (!Number.isInteger(seconds)) report('invalid_duration', path, `${field} must be whole seconds (Step Functions counts seconds), got ${JSON.stringify(value)}`);
  else if (seconds < min || seconds > max) report('value_out_of_range', path, `${field} must be between ${min}s and ${max}s${why}, got ${JSON.stringify(value)}`);
}

/** Estimates weigh tasks against each other: any positive duration will do, fractions included. */
function checkEstimate(value: unknown, path: DefinitionPath, report: Report) {
  if (value === undefined) return;
  const seconds = parseDuration(value);
  if (seconds === undefined) return; // the schema already reported it
  if (seconds <= 0 || seconds > MAX_STANDARD_DURATION_SECONDS) {
    report('value_out_of_range', path, `estimate must be more than 0s and at most ${MAX_STANDARD_DURATION_SECONDS}s, got ${JSON.stringify(value)}`);
  }
}

function unknownName(kind: string, name: string, names: string[]): string {
  const hint = closest(name, names);
  return `unknown ${kind} "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
}

/** on_failure chains that come back to where they started, each reported once. */
function fallbackLoops(tasks: readonly TaskSpec[]): string[][] {
  const target = new Map(tasks.map((t) => [t.name, t.on_failure]));
  const seen = new Set<string>();
  const loops: string[][] = [];
  for (const start of target.keys()) {
    const chain: string[] = [];
    let current: string | undefined = start;
    while (current && target.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = target.get(current);
    }
    if (current === start && chain.length > 1 && !chain.some((n) => seen.has(n))) {
      chain.forEach((n) => seen.add(n));
      loops.push(chain);
    }
  }
  return loops;
}

/** Every elementary cycle reached by a depth-first walk, each reported once (self-loops are reported apart). */
function findCycles(tasks: readonly TaskSpec[]): string[][] {
  const deps = new Map(tasks.map((t) => [t.name, (t.depends_on ?? []).filter((d) => d !== t.name)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (name: string) => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      if (!deps.has(dep)) continue;
      if (state.get(dep) === 'visiting') cycles.push(stack.slice(stack.indexOf(dep)));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of deps.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
