import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitionText as parseDefinition } from '../../../project/definition-files.ts';

const file = resolve('test/fixtures/definitions/example.yaml');
const withTriggers = (triggers: string, extra = '') =>
  `workflow:\n  tasks:\n    - name: a\n      handler: ../handlers/echo.ts\n  triggers:\n${triggers}${extra}`;
const problems = (text: string) => parseDefinition(text, file).diagnostics.map((d) => ({ code: d.code, path: d.path.join('.'), severity: d.severity }));

describe('triggers in definitions', () => {
  it('normalises schedules and event triggers with their defaults', () => {
    const { definition, diagnostics } = parseDefinition(withTriggers(`    - cron: "*/5 * * * *"
    - name: on_upload
      event:
        pattern: { source: [uploads], detail: { key: [{ suffix: .csv }] } }
        input: { template: { key: "<$.detail.key>", note: "file <$.detail.key>" } }
      condition: { flag: { name: imports_on } }
`), file);
    expect(diagnostics).toEqual([]);
    expect(definition?.triggers).toEqual([
      { kind: 'schedule', name: 'trigger_0', enabled: true, expression: '*/5 * * * *', timezone: 'UTC', input: {} },
      {
        kind: 'event', name: 'on_upload', enabled: true, bus: undefined,
        pattern: { source: ['uploads'], detail: { key: [{ suffix: '.csv' }] } },
        input: { kind: 'template', template: { key: '<$.detail.key>', note: 'file <$.detail.key>' } },
        condition: { flag: { name: 'imports_on', equals: true } },
      },
    ]);
  });

  it('reports a schedule that can never fire and a rate too long to mean anything, with line numbers', () => {
    const { diagnostics } = parseDefinition(withTriggers(`    - cron: "0 0 31 2 *"
    - cron: "rate(99999999999999999999 days)"
`), file);
    expect(diagnostics.map((d) => ({ code: d.code, path: d.path.join('.'), line: d.line, message: d.message }))).toEqual([
      { code: 'invalid_schedule', path: 'workflow.triggers.0.cron', line: 6, message: 'invalid schedule "0 0 31 2 *": "0 0 31 2 *" never fires: no date matches it' },
      { code: 'invalid_schedule', path: 'workflow.triggers.1.cron', line: 7, message: 'invalid schedule "rate(99999999999999999999 days)": rate(99999999999999999999 days) is longer than the longest rate allowed, 36500 days (100 years)' },
    ]);
  });

  it('reports bad expressions, unknown time zones, sub-minute rates and refused patterns with their paths', () => {
    expect(problems(withTriggers(`    - cron: "cron(0 12 * * * *)"
    - cron: "0 9 * * *"
      timezone: Mars/Olympus
    - cron: "rate(30 seconds)"
    - event: { pattern: { source: "not-an-array" } }
    - cron: "0 0 1 * 1"
    - { cron: "0 0 * * *", event: { pattern: { source: [x] } } }
`))).toEqual([
      { code: 'invalid_schedule', path: 'workflow.triggers.0.cron', severity: 'error' },
      { code: 'unknown_timezone', path: 'workflow.triggers.1.timezone', severity: 'error' },
      { code: 'invalid_schedule', path: 'workflow.triggers.2.cron', severity: 'error' },
      { code: 'invalid_event_pattern', path: 'workflow.triggers.3.event.pattern.source', severity: 'error' },
      { code: 'invalid_schedule', path: 'workflow.triggers.4.cron', severity: 'error' },
      { code: 'invalid_trigger', path: 'workflow.triggers.5', severity: 'error' },
    ]);
  });

  it('accepts the specification task_scheduling block and turns resources into Lambda settings', () => {
    const text = withTriggers('    - cron: "0 0 * * *"\n', `task_scheduling:
  cron: { enabled: true, timezone: "UTC", max_jobs: 1000 }
  event: { enabled: true, event_sources: ["kafka", "redis"], max_events: 10000 }
  resources: { cpu_limit: "2", memory_limit: "4Gi", disk_limit: "10Gi" }
`);
    const { definition, diagnostics } = parseDefinition(text, file);
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'unsupported_event_source'], ['warning', 'unsupported_event_source']]);
    expect(definition?.scheduling).toEqual({ cronEnabled: true, eventEnabled: true, maxJobs: 1000, maxEvents: 10000, taskMemoryMb: 4096, taskEphemeralStorageMb: 10240 });
  });

  it('refuses more declared schedules than max_jobs and sizes Lambda cannot have', () => {
    const text = withTriggers('    - cron: "0 0 * * *"\n    - cron: "0 1 * * *"\n', `task_scheduling:
  cron: { max_jobs: 1 }
  resources: { memory_limit: "64Gi", disk_limit: "lots" }
`);
    expect(problems(text)).toEqual([
      { code: 'value_out_of_range', path: 'task_scheduling.cron.max_jobs', severity: 'error' },
      { code: 'value_out_of_range', path: 'task_scheduling.resources.memory_limit', severity: 'error' },
      { code: 'invalid_value', path: 'task_scheduling.resources.disk_limit', severity: 'error' },
    ]);
  });
});
