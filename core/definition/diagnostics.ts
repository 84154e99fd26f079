/** Where a diagnostic points: keys and array indexes from the document root. */
export type DefinitionPath = readonly (string | number)[];

export type Severity = 'error' | 'warning';

/**
 * Every kind of problem a definition can have, in one list. A code is stable across releases: it is what
 * tests, editors and scripts match on; the message carries the details (names, values, hints).
 */
export type DiagnosticCode =
  // Reading the file
  | 'file_unreadable' // the file could not be read (the message carries the system's code)
  | 'syntax_error' // not valid YAML or JSON
  // Shape of the document (the schema). The last seven are zod's own issue codes, passed through.
  | 'unknown_key' // a key the schema does not know (with a "did you mean")
  | 'invalid_type' // a value of the wrong type
  | 'invalid_value' // a value outside the allowed ones or of the wrong form
  | 'too_big'
  | 'too_small'
  | 'invalid_format'
  | 'not_multiple_of'
  | 'invalid_union'
  | 'invalid_key'
  | 'invalid_element'
  // Names
  | 'invalid_name' // a workflow, task or event bus name with characters or a length AWS refuses
  | 'name_too_long' // a task name leaving no room for the suffixes of generated state names
  | 'duplicate_name' // two tasks, or two triggers, with one name
  | 'duplicate_workflow' // two files define workflows of one name
  // Dependencies and fallbacks
  | 'cycle' // a task depends on itself, a dependency cycle, or a fallback loop
  | 'unknown_dependency' // depends_on names no task
  | 'depends_on_fallback' // depends_on names a task that only runs as a fallback
  | 'invalid_fallback' // a task is its own fallback
  | 'unknown_task' // on_failure names no task
  | 'fallback_has_dependencies' // a fallback task declares depends_on
  // Tasks
  | 'handler_on_service' // a service task with a handler
  | 'service_on_function' // a function task with a service
  | 'unknown_service' // a service task whose service is not declared (a warning: it may be registered at run time)
  | 'handler_not_found' // the handler file does not exist
  | 'export_not_found' // the handler file lacks the named export
  | 'invalid_input_schema' // input_schema is not a JSON Schema
  | 'invalid_compensation' // compensate names neither or both of a handler and a service
  // Service orchestration
  | 'missing_instances' // a service with no url, no instances and nothing to discover them
  | 'missing_discovery_settings' // cloudmap without a namespace, consul without an address
  | 'unused_setting' // settings of a discovery the service does not use (a warning)
  | 'invalid_aggregation' // services/aggregate/quorum on a task that cannot use them
  // Values
  | 'invalid_duration' // a duration that is not whole seconds
  | 'value_out_of_range' // a number or duration outside what AWS (or the rest of the definition) allows
  // Triggers and task scheduling
  | 'invalid_trigger' // a trigger with a missing or misplaced field
  | 'invalid_schedule' // a cron, rate or at expression AWS would refuse
  | 'invalid_event_pattern' // an event pattern (or condition pattern) EventBridge would refuse
  | 'unknown_timezone' // not an IANA time zone
  | 'unsupported_event_source' // a source stepflow does not connect (a warning)
  // Pools
  | 'unknown_pool' // a task names a pool, or a lane of it, that the file does not declare
  // Pipelines (workflow.stages)
  | 'invalid_stage' // a stage with keys of both forms, a fan-out missing for_each, task or max_concurrency, or tasks and stages together
  | 'unknown_reference' // for_each names a result no previous stage produces
  | 'inline_offline' // a large (Distributed Map) fan-out runs inline offline (a warning)
  // Engine
  | 'unsupported_strategy' // an engine.dag strategy the workflow type cannot run (gated on express)
  // Compiler
  | 'serialised_edge' // a task waits for tasks it does not depend on, to fit nested Parallel states (a warning)
  // AWS limits the compiled state machine would break (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
  | 'intrinsic_nesting' // more than 10 intrinsic functions in one field
  | 'state_name_too_long' // a state name over 80 characters
  | 'definition_too_large' // the state machine definition over 1 MB
  | 'history_too_long'; // an execution could write more than 25,000 history events

/**
 * One problem found in a definition. Every problem is reported, not the first one, and each names
 * the file, the path inside the definition and the line, so an editor or a person can jump to it.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly path: DefinitionPath;
  /** Absolute or project-relative path of the definition file. */
  readonly file?: string;
  /** 1-based line of the value at `path`, when the source is known. */
  readonly line?: number;
}

/** `tasks[2].depends_on[0]` */
export function formatPath(path: DefinitionPath): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out || '(root)';
}

/** `✖ file.yaml:14 unknown dependency "chrage" (did you mean "charge"?) → at tasks[2].depends_on[0]` */
export function formatDiagnostic(d: Diagnostic): string {
  const mark = d.severity === 'error' ? '✖' : '⚠';
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''} ` : '';
  const line = !d.file && d.line ? ` (line ${d.line})` : '';
  return `${mark} ${where}${d.message} → at ${formatPath(d.path)}${line}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** The closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(value.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(value, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
