import { MAX_STANDARD_DURATION_SECONDS } from '../asl/limits.ts';
import type { DefinitionPath, DiagnosticCode, Severity } from './diagnostics.ts';
import { parseDuration } from './duration.ts';
import type { DefinitionFile, TaskSpec } from './schema.ts';

/** An approval waits this long when it sets no `expires`. */
export const DEFAULT_APPROVAL_EXPIRY_SECONDS = 24 * 60 * 60;

type Report = (code: DiagnosticCode, path: DefinitionPath, message: string, severity?: Severity) => void;

/**
 * `type: approval`: it waits for a task token, which express workflows cannot do
 * (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html); it runs no
 * handler or service of its own; `approvers` and `expires` apply to it alone.
 */
export function validateApprovals(spec: DefinitionFile, report: Report): void {
  (spec.workflow.tasks ?? []).forEach((task: TaskSpec, i) => {
    const at = (...rest: (string | number)[]): DefinitionPath => ['workflow', 'tasks', i, ...rest];
    if (task.type !== 'approval') {
      for (const key of ['approvers', 'expires'] as const) {
        if (task[key] !== undefined) report('invalid_value', at(key), `"${key}" applies to type: approval; task "${task.name}" is a ${task.type ?? 'function'} task`);
      }
      return;
    }
    if (spec.workflow.engine?.mode === 'express') {
      report('unsupported_strategy', at('type'), `task "${task.name}" is an approval: it waits for a task token, which express workflows cannot do`);
    }
    for (const key of ['handler', 'service', 'via', 'heartbeat', 'timeout', 'compensate'] as const) {
      if (task[key] !== undefined) report('invalid_value', at(key), `"${key}" does not apply to an approval task (${key === 'timeout' ? 'use expires' : 'it waits for POST /approvals/{id}'})`);
    }
    const seconds = task.expires === undefined ? undefined : parseDuration(task.expires);
    if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_STANDARD_DURATION_SECONDS)) {
      report('value_out_of_range', at('expires'), `expires must be whole seconds between 1s and ${MAX_STANDARD_DURATION_SECONDS}s (a standard execution's longest run), got ${JSON.stringify(task.expires)}`);
    }
  });
}
