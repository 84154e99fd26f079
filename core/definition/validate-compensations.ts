import type { DefinitionPath, DiagnosticCode, Severity } from './diagnostics.ts';
import { parseDuration } from './duration.ts';
import { declaresExport, resolveHandler } from './handlers.ts';
import type { DefinitionHost } from './host.ts';
import type { DefinitionFile } from './schema.ts';

type Report = (code: DiagnosticCode, path: DefinitionPath, message: string, severity?: Severity) => void;

/**
 * `compensate:` of every task: one handler or one service, a handler file that exists and exports the
 * name, and an engine whose compiled form can record what completed (nested states; not the gated form
 * nor Map hand-outs, whose branches and iterations keep only their own results).
 */
export function validateCompensations(spec: DefinitionFile, file: string, host: DefinitionHost, report: Report): void {
  const { workflow } = spec;
  let any = false;
  (workflow.tasks ?? []).forEach((task, i) => {
    const compensate = task.compensate;
    if (compensate === undefined) return;
    any = true;
    const at = (...rest: (string | number)[]) => ['workflow', 'tasks', i, 'compensate', ...rest];
    const written = typeof compensate === 'string' ? { handler: compensate } : compensate;
    if (!written.handler === !written.service) {
      report('invalid_compensation', at(), `compensate of task "${task.name}" needs exactly one of handler or service`);
      return;
    }
    if (written.service !== undefined && !workflow.services?.[written.service]) {
      report('unknown_service', at('service'), `service "${written.service}" is not declared under workflow.services; it must be registered before the compensation runs`, 'warning');
    }
    if (written.handler !== undefined) {
      const ref = resolveHandler(file, host.projectRoot, task.name, written.handler);
      const source = host.readModule(ref.file);
      const shown = host.displayPath ?? ((f: string) => f);
      const path = typeof compensate === 'string' ? at() : at('handler');
      if (source === undefined) report('handler_not_found', path, `compensation handler file ${shown(ref.file)} does not exist`);
      else if (!declaresExport(source, ref.exportName)) report('export_not_found', path, `compensation handler file ${shown(ref.file)} has no export "${ref.exportName}"`);
    }
    if (typeof compensate !== 'string') {
      const interval = parseDuration(compensate.backoff?.interval ?? 1);
      if (interval !== undefined && (!Number.isInteger(interval) || interval < 1)) {
        report('invalid_duration', at('backoff', 'interval'), `compensate.backoff.interval must be whole seconds, at least 1s (Step Functions' IntervalSeconds)`);
      }
    }
  });
  if (!any) return;
  const engine = workflow.engine ?? {};
  if (engine.type === 'parallel' && engine.dag === 'gated') {
    report('unsupported_strategy', ['workflow', 'engine', 'dag'], 'engine.dag "gated" cannot run compensations: each gated branch keeps only its own results, so what completed is not known where the workflow fails (use nested or auto)');
  }
  if (engine.type === 'parallel' && engine.max_concurrent_tasks !== undefined) {
    report('unsupported_strategy', ['workflow', 'engine', 'max_concurrent_tasks'], 'max_concurrent_tasks cannot be combined with compensate: tasks handed out by a Map state report only their results, so a failure inside one cannot be compensated');
  }
}
