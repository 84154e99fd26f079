import { closest, type DefinitionPath, type Diagnostic } from './diagnostics.ts';
import { MAX_DISTRIBUTED_MAP_CONCURRENCY, MAX_INLINE_MAP_CONCURRENCY, type FanOutDefinition, type StageDefinition } from './fan-out.ts';
import { resolveHandler } from './handlers.ts';
import { offlineItemsPath, parseS3Url, s3LocationProblem, type S3ItemSource } from './s3-items.ts';
import type { DefinitionFile, StageSpec, TaskSpec } from './schema.ts';

type Found = Omit<Diagnostic, 'file' | 'line'>;

/** A definition whose `stages` became `tasks`, with where each task came from. */
export interface Desugared {
  /** The definition with `tasks` (stages removed); undefined when the stages are too broken to read. */
  readonly spec?: DefinitionFile & { workflow: { tasks: TaskSpec[] } };
  /** For each task (by index): its place in the source, to point diagnostics at. */
  readonly origins: readonly DefinitionPath[];
  /** Fan-out stages, by their task (stage) name. */
  readonly fanOuts: ReadonlyMap<string, FanOutDefinition>;
  /** The stages in order with their tasks (undefined for a definition with `tasks`). */
  readonly stages?: readonly StageDefinition[];
  readonly diagnostics: readonly Found[];
}

const FOR_EACH = /^\$\.(input|results)((?:\.[A-Za-z0-9_-]+)*)$/;
const FAN_OUT_KEYS = ['for_each', 'max_concurrency', 'batch_size', 'tolerated_failure_percentage', 'large', 'collect', 'task'] as const;

/**
 * `stages` as the task graph the compiler already knows: each stage's tasks keep their depends_on, and
 * its first tasks also depend on the last tasks of the previous stage; a fan-out stage becomes one task
 * named after the stage, carrying its FanOutDefinition. A definition with `tasks` passes unchanged.
 */
export function desugarStages(spec: DefinitionFile, file: string, projectRoot: string): Desugared {
  const { workflow } = spec;
  const found: Found[] = [];
  const report = (path: DefinitionPath, message: string, code: Found['code'] = 'invalid_stage', severity: Found['severity'] = 'error') => found.push({ code, severity, path, message });
  if (workflow.tasks && workflow.stages) {
    report(['workflow', 'stages'], 'a workflow has either tasks or stages, not both');
    return { origins: [], fanOuts: new Map(), diagnostics: found };
  }
  if (!workflow.stages) {
    if (!workflow.tasks) report(['workflow'], 'a workflow needs tasks (or stages, for a pipeline)');
    const tasks = workflow.tasks ?? [];
    return { spec: { ...spec, workflow: { ...workflow, tasks } }, origins: tasks.map((_, i) => ['workflow', 'tasks', i]), fanOuts: new Map(), diagnostics: found };
  }

  const tasks: TaskSpec[] = [];
  const origins: DefinitionPath[] = [];
  const fanOuts = new Map<string, FanOutDefinition>();
  const stageNames = new Map<string, number>();
  const stages: StageDefinition[] = [];
  /** Tasks of earlier stages, whose results a later fan-out may read. */
  const earlier = new Set<string>();
  let previous: string[] = [];
  workflow.stages.forEach((stage, s) => {
    const at = (...rest: (string | number)[]): DefinitionPath => ['workflow', 'stages', s, ...rest];
    if (stageNames.has(stage.name)) report(at('name'), `duplicate stage name "${stage.name}" (first used at stages[${stageNames.get(stage.name)}])`, 'duplicate_name');
    else stageNames.set(stage.name, s);
    const fanOutKeys = FAN_OUT_KEYS.filter((k) => stage[k] !== undefined);
    if (stage.tasks) {
      for (const key of fanOutKeys) report(at(key), `stage "${stage.name}" has tasks, so "${key}" does not apply (a fan-out stage has for_each and task instead)`);
      const fallbacks = new Set(stage.tasks.map((t) => t.on_failure).filter((f): f is string => !!f && f !== 'fail' && f !== 'continue'));
      const dependedOn = new Set(stage.tasks.flatMap((t) => t.depends_on ?? []));
      stage.tasks.forEach((task, i) => {
        const roots = task.depends_on?.length || fallbacks.has(task.name) ? [] : previous;
        tasks.push(roots.length ? { ...task, depends_on: [...(task.depends_on ?? []), ...roots] } : task);
        origins.push(at('tasks', i));
      });
      previous = stage.tasks.filter((t) => !dependedOn.has(t.name) && !fallbacks.has(t.name)).map((t) => t.name);
      stages.push({ name: stage.name, tasks: stage.tasks.map((t) => t.name) });
      for (const t of stage.tasks) earlier.add(t.name);
      return;
    }
    const fanOut = fanOutOf(stage, at, earlier, report);
    if (fanOut) {
      const inner = stage.task!;
      const handler = (inner.type ?? 'function') === 'function' ? resolveHandler(file, projectRoot, inner.name, inner.handler) : undefined;
      tasks.push({
        ...inner,
        name: stage.name,
        ...(handler ? { handler: `${handler.file}#${handler.exportName}` } : callsService(inner) ? { service: inner.service ?? inner.name } : {}),
        depends_on: previous.length ? previous : undefined,
      });
      origins.push(at());
      fanOuts.set(stage.name, fanOut);
      stages.push({ name: stage.name, tasks: [stage.name] });
      previous = [stage.name];
      earlier.add(stage.name);
    }
  });
  const { stages: _, ...rest } = workflow;
  return { spec: { ...spec, workflow: { ...rest, tasks } }, origins, fanOuts, stages, diagnostics: found };
}

/** Callbacks via event or sqs call no service (an approval is refused one in approval.ts). */
const callsService = (task: TaskSpec): boolean => task.type !== 'callback' || (task.via ?? 'http') === 'http';

function fanOutOf(stage: StageSpec, at: (...rest: (string | number)[]) => DefinitionPath, earlier: ReadonlySet<string>, reportTo: (path: DefinitionPath, message: string, code?: Found['code'], severity?: Found['severity']) => void): FanOutDefinition | undefined {
  let broken = false;
  const report = (path: DefinitionPath, message: string, code?: Found['code']) => {
    broken = true;
    reportTo(path, message, code);
  };
  for (const key of ['for_each', 'task', 'max_concurrency'] as const) {
    if (stage[key] === undefined) report(at(), `stage "${stage.name}" needs tasks, or for_each, max_concurrency and task (a fan-out); "${key}" is missing`);
  }
  if (!stage.for_each || !stage.task || stage.max_concurrency === undefined) return undefined;
  const large = stage.large ?? false;
  const s3 = s3ItemsOf(stage.for_each);
  const match = typeof stage.for_each === 'string' ? FOR_EACH.exec(stage.for_each) : null;
  let items: FanOutDefinition['items'] | undefined;
  if (s3) {
    const problem = s3LocationProblem(s3.bucket, s3.key);
    if (problem) report(at('for_each'), `for_each: ${problem}`, 'invalid_value');
    // ItemReader is a Distributed Map field (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
    else if (!large) report(at('for_each'), `stage "${stage.name}" reads its items from S3 (s3://${s3.bucket}/${s3.key}), which only a Distributed Map can (ItemReader): add large: true`, 'invalid_value');
    else items = s3;
  } else if (!match) {
    report(at('for_each'), `for_each must be a JSONPath into the execution input ($.input.items) or a previous result ($.results.<task>.list), or an S3 object with large: true (s3://<bucket>/<key>), got ${JSON.stringify(stage.for_each)}`, 'invalid_value');
  } else {
    const path = match[2].split('.').filter(Boolean);
    const source = match[1] as 'input' | 'results';
    if (source === 'results') {
      if (!path.length) report(at('for_each'), 'for_each must name a previous task\'s result: $.results.<task>.<path>', 'invalid_value');
      else if (!earlier.has(path[0])) {
        const hint = closest(path[0], earlier);
        report(at('for_each'), `for_each reads "${path[0]}", which no previous stage produces${hint ? ` (did you mean "${hint}"?)` : ''}`, 'unknown_reference');
      }
    }
    items = { source, path };
  }
  const max = large ? MAX_DISTRIBUTED_MAP_CONCURRENCY : MAX_INLINE_MAP_CONCURRENCY;
  if (stage.max_concurrency < 1 || stage.max_concurrency > max) {
    report(at('max_concurrency'), `max_concurrency must be between 1 and ${max}${large ? ' (Distributed Map child executions)' : ' (an inline Map runs at most 40 iterations at once; large: true runs a Distributed Map)'}, got ${stage.max_concurrency}`, 'value_out_of_range');
  }
  // ItemBatcher MaxItemsPerBatch on a Distributed Map; States.ArrayPartition before an inline one (both positive integers).
  if (stage.batch_size !== undefined && stage.batch_size < 1) {
    report(at('batch_size'), `batch_size must be at least 1, got ${stage.batch_size}`, 'value_out_of_range');
  }
  const tolerance = stage.tolerated_failure_percentage;
  if (tolerance !== undefined && (tolerance < 0 || tolerance > 100)) {
    report(at('tolerated_failure_percentage'), `tolerated_failure_percentage must be between 0 and 100, got ${tolerance}`, 'value_out_of_range');
  }
  for (const key of ['depends_on', 'on_failure', 'compensate'] as const) {
    if (stage.task[key] !== undefined) report(at('task', key), `"${key}" does not apply to a fan-out's task: the stage runs after the previous one, and a failed item ${key === 'compensate' ? 'is not undone' : 'counts against tolerated_failure_percentage'}`);
  }
  if (broken || !items) return undefined;
  if (large) {
    const from = items.source === 's3' ? `, with its items read from ${offlineItemsPath(items)} under the data dir (.stepflow)` : '';
    reportTo(at('large'), `stage "${stage.name}" runs as a Distributed Map on AWS (a child execution per item); offline it runs inline, in this process${from}`, 'inline_offline', 'warning');
  }
  return {
    itemTask: stage.task.name,
    items,
    maxConcurrency: stage.max_concurrency,
    ...(tolerance !== undefined ? { toleratedFailurePercentage: tolerance } : {}),
    large,
    ...(stage.batch_size !== undefined ? { batchSize: stage.batch_size } : {}),
  };
}

/** An S3 item source written as `s3://bucket/key` or `{ s3: { bucket, key }, format }`; undefined for a JSONPath. */
function s3ItemsOf(forEach: StageSpec['for_each']): S3ItemSource | undefined {
  if (forEach === undefined) return undefined;
  if (typeof forEach !== 'string') return { source: 's3', bucket: forEach.s3.bucket, key: forEach.s3.key, format: forEach.format ?? 'json' };
  const url = parseS3Url(forEach);
  return url ? { source: 's3', ...url, format: 'json' } : undefined;
}
