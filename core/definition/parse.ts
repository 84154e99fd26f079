import { basename, extname, resolve } from 'node:path';
import type { z } from 'zod';
import { closest, hasErrors, type DefinitionPath, type Diagnostic } from './diagnostics.ts';
import { parseDuration } from './duration.ts';
import { DEFAULT_APPROVAL_EXPIRY_SECONDS } from './approval.ts';
import { normaliseCompensation } from './compensation.ts';
import { resolveHandler } from './handlers.ts';
import { callbackChannelOf } from './callback-channel.ts';
import type { DefinitionHost } from './host.ts';
import {
  DEFAULT_BACKOFF,
  DEFAULT_SERVICE_TIMEOUT_SECONDS,
  type FailurePolicy,
  type ServiceDefinition,
  type TaskDefinition,
  type WorkflowDefinition,
} from './model.ts';
import { definitionFileSchema, type DefinitionFile } from './schema.ts';
import { parseSource } from './source.ts';
import { normaliseScheduling, normaliseTriggers } from './triggers.ts';
import { alertsSchema, normaliseAlerts } from './alerts.ts';
import { desugarStages, type Desugared } from './stages.ts';
import { validateDefinition } from './validate.ts';
import { isOrchestrated, normaliseAggregation, normaliseServiceOrchestration } from './orchestration-model.ts';
import { normalisePools } from './pools.ts';
import { POOL_DEFAULTS } from './pool-model.ts';

export interface LoadResult {
  /** Present when there are no errors (warnings allowed). */
  readonly definition?: WorkflowDefinition;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses and validates one definition from its text. `file` decides the default workflow name and where
 * handler paths start; `displayFile` is what diagnostics print; `host` answers for the project around it.
 */
export function parseDefinition(text: string, file: string, host: DefinitionHost, displayFile = file): LoadResult {
  const source = parseSource(text);
  const locate = (d: Omit<Diagnostic, 'file' | 'line'>): Diagnostic => ({ ...d, file: displayFile, line: source.lineOf(d.path) });
  if (source.syntaxErrors.length) {
    return {
      diagnostics: source.syntaxErrors.map((e) => ({ code: 'syntax_error', severity: 'error', file: displayFile, line: e.line, path: [], message: e.message })),
    };
  }
  const parsed = definitionFileSchema.safeParse(source.value, { reportInput: true });
  if (!parsed.success) {
    const shapeErrors = parsed.error.issues.flatMap(issueToDiagnostics);
    return { diagnostics: [...shapeErrors, ...checksOnInvalidShape(source.value, file, host, shapeErrors)].map(locate) };
  }

  // A pipeline's stages become tasks; diagnostics about them point back at the stages.
  const desugared = desugarStages(parsed.data, file, host.projectRoot);
  const stageDiagnostics = desugared.diagnostics.map(locate);
  if (!desugared.spec) return { diagnostics: stageDiagnostics };
  const spec = desugared.spec;
  const name = spec.workflow.name ?? basename(file, extname(file));
  // The stages' tasks go through every check even when a stage is broken: all problems at once.
  const diagnostics = validateDefinition(spec, file, name, host).map((d) => locate({ ...d, path: sourcePath(d.path, desugared) }));
  if (hasErrors(stageDiagnostics)) return { diagnostics: [...stageDiagnostics, ...diagnostics] };
  if (hasErrors(diagnostics)) return { diagnostics };
  const lines = Object.fromEntries(spec.workflow.tasks.map((t, i) => [t.name, source.lineOf(desugared.origins[i]) ?? 0]));
  const definition = normalise(spec, resolve(file), name, host.projectRoot);
  const tasks = definition.tasks.map((t) => (desugared.fanOuts.has(t.name) ? { ...t, fanOut: desugared.fanOuts.get(t.name)! } : t));
  return { definition: { ...definition, tasks, lines, ...(desugared.stages ? { stages: desugared.stages } : {}) }, diagnostics: [...stageDiagnostics, ...diagnostics] };
}

/** A path into the desugared `tasks`, as a path into the source (a stage's task, or a fan-out stage). */
function sourcePath(path: DefinitionPath, desugared: Desugared): DefinitionPath {
  if (path[0] !== 'workflow' || path[1] !== 'tasks' || typeof path[2] !== 'number') return path;
  const origin = desugared.origins[path[2]] ?? path.slice(0, 3);
  const rest = path.slice(3);
  const fanOut = origin[1] === 'stages' && origin.length === 3;
  if (!fanOut) return [...origin, ...rest];
  if (rest[0] === 'name') return [...origin, 'name'];
  if (rest[0] === 'depends_on') return origin;
  return [...origin, 'task', ...rest];
}

/**
 * Every problem at once: the whole-definition checks also run on a document with shape errors, as far
 * as its shape allows, and report what the shape errors do not already cover.
 */
function checksOnInvalidShape(value: unknown, file: string, host: DefinitionHost, shapeErrors: Omit<Diagnostic, 'file' | 'line'>[]) {
  const workflow = (value as { workflow?: { tasks?: unknown; stages?: unknown; name?: unknown } } | undefined)?.workflow;
  if (!workflow) return [];
  const startsCovered = (path: DefinitionPath) =>
    shapeErrors.some((d) => d.path.length <= path.length && d.path.every((part, i) => part === path[i]));
  try {
    const name = typeof workflow.name === 'string' ? workflow.name : basename(file, extname(file));
    if (Array.isArray(workflow.stages) && workflow.tasks === undefined) {
      // A pipeline: its stages' tasks are checked like tasks, each problem pointed back at its stage.
      const desugared = desugarStages(value as DefinitionFile, file, host.projectRoot);
      if (!desugared.spec || !desugared.spec.workflow.tasks.every((t) => typeof t?.name === 'string')) return [];
      return validateDefinition(desugared.spec, file, name, host)
        .map((d) => ({ ...d, path: sourcePath(d.path, desugared) }))
        .filter((d) => !startsCovered(d.path));
    }
    if (!Array.isArray(workflow.tasks) || !workflow.tasks.every((t) => typeof t?.name === 'string')) return [];
    return validateDefinition(value as DefinitionFile, file, name, host).filter((d) => !startsCovered(d.path));
  } catch {
    return []; // the shape is too far off for these checks; the shape errors say why
  }
}

function issueToDiagnostics(issue: z.core.$ZodIssue): Omit<Diagnostic, 'file' | 'line'>[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      code: 'unknown_key', severity: 'error' as const, path: [...path, key],
      message: `unknown key "${key}"${suggestKey(path, key)}`,
    }));
  }
  if (issue.code === 'invalid_value') {
    const got = valueAt(issue);
    return [{ code: 'invalid_value', severity: 'error', path, message: `${path.at(-1)} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}` }];
  }
  if (issue.code === 'invalid_type') {
    const received = issue.input === undefined ? 'nothing' : JSON.stringify(issue.input);
    return [{ code: 'invalid_type', severity: 'error', path, message: `${path.at(-1) ?? 'document'} must be ${issue.expected}, got ${received}` }];
  }
  return [{ code: issue.code === 'custom' ? 'invalid_value' : issue.code, severity: 'error', path, message: issue.message }];
}

function valueAt(issue: z.core.$ZodIssue): string {
  return issue.input === undefined ? '' : `, got ${JSON.stringify(issue.input)}`;
}

const KNOWN_KEYS: Record<string, string[]> = {
  task: ['name', 'type', 'approvers', 'expires', 'description', 'handler', 'service', 'services', 'aggregate', 'quorum', 'via', 'event', 'queue', 'heartbeat', 'timeout', 'estimate', 'retries', 'backoff', 'depends_on', 'on_failure', 'compensate', 'memory', 'pool', 'priority'],
  engine: ['type', 'max_concurrent_tasks', 'timeout', 'retry_attempts', 'mode', 'dag'],
  workflow: ['name', 'description', 'input_schema', 'engine', 'services', 'tasks', 'stages', 'triggers', 'alerts'],
  stage: ['name', 'tasks', 'for_each', 'max_concurrency', 'batch_size', 'tolerated_failure_percentage', 'large', 'collect', 'task'],
  trigger: ['name', 'cron', 'timezone', 'event', 'input', 'enabled', 'catchup', 'condition'],
  alerts: Object.keys(alertsSchema.shape),
};

function suggestKey(path: DefinitionPath, key: string): string {
  const inList = typeof path.at(-1) === 'number' ? String(path.at(-2)) : undefined;
  const parent = inList === 'tasks' ? 'task' : inList === 'triggers' ? 'trigger' : inList === 'stages' ? 'stage' : String(path.at(-1));
  const known = KNOWN_KEYS[parent];
  if (!known) return '';
  const hint = known.find((k) => k.startsWith(key) || key.startsWith(k)) ?? closest(key, known);
  return hint ? ` (did you mean "${hint}"?)` : '';
}

function normalise(spec: DefinitionFile, file: string, name: string, projectRoot: string): WorkflowDefinition {
  const { workflow } = spec;
  const engine = workflow.engine ?? {};
  const retryAttempts = engine.retry_attempts ?? 0;
  const services: Record<string, ServiceDefinition> = {};
  for (const [serviceName, s] of Object.entries(workflow.services ?? {})) {
    services[serviceName] = {
      name: serviceName,
      ...(s.url !== undefined ? { url: s.url } : {}),
      method: s.method ?? 'POST',
      headers: s.headers ?? {},
      timeoutSeconds: seconds(s.timeout) ?? seconds(spec.orchestration?.timeout?.default) ?? DEFAULT_SERVICE_TIMEOUT_SECONDS,
      ...(isOrchestrated(s, spec.orchestration) ? { orchestration: normaliseServiceOrchestration(serviceName, s, spec.orchestration) } : {}),
    };
  }
  const tasks: TaskDefinition[] = (workflow.tasks ?? []).map((t) => {
    const type = t.type ?? 'function';
    const task: TaskDefinition = {
      name: t.name,
      type,
      description: t.description,
      handler: type === 'function' && !t.pool ? resolveHandler(file, projectRoot, t.name, t.handler) : undefined,
      service: type === 'service' || (type === 'callback' && (t.via ?? 'http') === 'http') ? (t.service ?? (Array.isArray(t.services) ? t.services[0] : undefined) ?? t.name) : undefined,
      ...(type === 'callback' ? { callback: callbackChannelOf(t, name) } : {}),
      ...(type === 'approval' ? { approval: { ...(t.approvers !== undefined ? { approvers: t.approvers } : {}), expiresSeconds: seconds(t.expires) ?? DEFAULT_APPROVAL_EXPIRY_SECONDS } } : {}),
      ...(t.heartbeat !== undefined ? { heartbeatSeconds: seconds(t.heartbeat) } : {}),
      ...(type === 'service' && t.services ? { aggregate: normaliseAggregation(t) } : {}),
      timeoutSeconds: seconds(t.timeout),
      estimateSeconds: seconds(t.estimate),
      retries: t.retries ?? retryAttempts,
      backoff: {
        intervalSeconds: seconds(t.backoff?.interval) ?? DEFAULT_BACKOFF.intervalSeconds,
        rate: t.backoff?.rate ?? DEFAULT_BACKOFF.rate,
        maxDelaySeconds: seconds(t.backoff?.max_delay),
        jitter: t.backoff?.jitter ?? DEFAULT_BACKOFF.jitter,
      },
      dependsOn: t.depends_on ?? [],
      onFailure: failurePolicy(t.on_failure),
      memoryMb: t.memory,
      ...(t.pool ? { pool: { pool: t.pool, lane: t.priority ?? Object.keys(spec.pools?.[t.pool]?.priorities ?? POOL_DEFAULTS.lanes)[0] } } : {}),
    };
    const compensate = normaliseCompensation(t, file, projectRoot, task.retries, task.backoff);
    return compensate ? { ...task, compensate } : task;
  });
  return {
    name,
    description: workflow.description,
    file,
    projectRoot,
    inputSchema: workflow.input_schema,
    engine: {
      type: engine.type ?? 'sequential',
      maxConcurrentTasks: engine.max_concurrent_tasks,
      timeoutSeconds: seconds(engine.timeout),
      retryAttempts,
      mode: engine.mode ?? 'standard',
      dag: engine.dag ?? 'auto',
    },
    services,
    tasks,
    triggers: normaliseTriggers(spec),
    scheduling: normaliseScheduling(spec),
    alerts: normaliseAlerts(workflow.alerts),
    ...(spec.pools ? { pools: normalisePools(spec, file, projectRoot) } : {}),
  };
}

function failurePolicy(value: string | undefined): FailurePolicy {
  if (!value || value === 'fail') return { kind: 'fail' };
  if (value === 'continue') return { kind: 'continue' };
  return { kind: 'fallback', task: value };
}

function seconds(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}
