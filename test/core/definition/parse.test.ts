import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../core/definition/diagnostics.ts';
import { loadDefinitionText as parseDefinition } from '../../../project/definition-files.ts';

const file = resolve('definitions/example.yaml');
const errorsOf = (text: string) =>
  parseDefinition(text, file, 'example.yaml').diagnostics.map((d) => ({ code: d.code, path: d.path.join('.'), line: d.line, severity: d.severity }));

// The specification's workflow configuration example, verbatim.
const SEED_EXAMPLE = `workflow:
  engine:
    type: "sequential"
    max_concurrent_tasks: 10
    timeout: 3600s
    retry_attempts: 3
  tasks:
    - name: "data_processing"
      type: "function"
      timeout: 300s
      retries: 2
    - name: "notification"
      type: "service"
      depends_on: ["data_processing"]
      timeout: 60s
`;

describe('parseDefinition', () => {
  it('accepts the specification example as written, warning only about the undeclared service', () => {
    const { definition, diagnostics } = parseDefinition(SEED_EXAMPLE, file, 'example.yaml');
    expect(diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([['warning', 'unknown_service', 13]]);
    expect(definition).toMatchObject({
      name: 'example',
      engine: { type: 'sequential', maxConcurrentTasks: 10, timeoutSeconds: 3600, retryAttempts: 3, mode: 'standard' },
      tasks: [
        { name: 'data_processing', type: 'function', timeoutSeconds: 300, retries: 2, handler: { file: resolve('functions/tasks/data_processing.ts'), exportName: 'handler' } },
        { name: 'notification', type: 'service', service: 'notification', timeoutSeconds: 60, retries: 3, dependsOn: ['data_processing'] },
      ],
    });
  });

  it('reads JSON with the same rules and line numbers', () => {
    const json = JSON.stringify({ workflow: { tasks: [{ name: 'charge_payment', depend_on: [] }] } }, null, 2);
    expect(errorsOf(json)).toEqual([{ code: 'unknown_key', path: 'workflow.tasks.0.depend_on', line: 6, severity: 'error' }]);
  });

  it('reports every problem at once, each with its path and line', () => {
    const text = `workflow:
  name: bad flow
  engine:
    type: paralel
    timeout: 10.5s
  tasks:
    - name: validate_order
      depend_on: [ship_order]
    - name: ship_order
      depends_on: [chrage_payment, ship_order, charge_payment]
      on_failure: nothing
    - name: charge_payment
      depends_on: [ship_order]
      timeout: 1000s
    - name: validate_order
      handler: ./missing.ts#run
`;
    const result = parseDefinition(text, file, 'example.yaml');
    expect(result.definition).toBeUndefined();
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      '✖ example.yaml:4 type must be one of "sequential", "parallel", got "paralel" → at workflow.engine.type',
      '✖ example.yaml:8 unknown key "depend_on" (did you mean "depends_on"?) → at workflow.tasks[0].depend_on',
      '✖ example.yaml:2 workflow name "bad flow" must be 1-80 letters, digits, hyphens or underscores → at workflow.name',
      '✖ example.yaml:15 duplicate task name "validate_order" (first used at tasks[0]) → at workflow.tasks[3].name',
      '✖ example.yaml:10 unknown dependency "chrage_payment" (did you mean "charge_payment"?) → at workflow.tasks[1].depends_on[0]',
      '✖ example.yaml:10 task "ship_order" depends on itself → at workflow.tasks[1].depends_on[1]',
      '✖ example.yaml:11 on_failure must be fail, continue or a task name; unknown task "nothing" → at workflow.tasks[1].on_failure',
      "✖ example.yaml:14 timeout must be between 1s and 890s (Lambda runs at most 900s and needs 10s more than the task's timeout), got \"1000s\" → at workflow.tasks[2].timeout",
      '✖ example.yaml:16 handler file definitions/missing.ts does not exist → at workflow.tasks[3].handler',
      '✖ example.yaml:10 dependency cycle: ship_order → charge_payment → ship_order (each depends on the next) → at workflow.tasks[1].depends_on',
      '✖ example.yaml:5 engine.timeout must be whole seconds (Step Functions counts seconds), got "10.5s" → at workflow.engine.timeout',
    ]);
  });

  it('does not let a shape error at tasks[1] hide the checks of tasks[10]', () => {
    const h = '      handler: ../test/fixtures/handlers/echo.ts\n';
    const tasks = Array.from({ length: 11 }, (_, i) => `    - name: t${i}\n${h}${i === 1 ? '      retries: -1\n' : ''}${i === 10 ? '      depends_on: [nope]\n' : ''}`).join('');
    expect(errorsOf(`workflow:\n  tasks:\n${tasks}`).map((d) => [d.code, d.path])).toEqual([
      ['too_small', 'workflow.tasks.1.retries'],
      ['unknown_dependency', 'workflow.tasks.10.depends_on.0'],
    ]);
  });

  it('reports a missing export of an existing handler file', () => {
    const text = `workflow:\n  tasks:\n    - name: a\n      handler: ../test/fixtures/handlers/echo.ts#nothing\n`;
    expect(errorsOf(text)).toEqual([{ code: 'export_not_found', path: 'workflow.tasks.0.handler', line: 4, severity: 'error' }]);
  });

  it('refuses names Step Functions or JSONPath cannot carry', () => {
    const long = 'x'.repeat(65);
    const text = `workflow:\n  tasks:\n    - name: "fetch orders"\n      handler: ../test/fixtures/handlers/echo.ts\n    - name: ${long}\n      handler: ../test/fixtures/handlers/echo.ts\n`;
    expect(errorsOf(text).map((d) => d.code)).toEqual(['invalid_name', 'name_too_long']);
  });

  it('refuses an express workflow longer than five minutes', () => {
    const text = `workflow:\n  engine: { mode: express, timeout: 10m }\n  tasks:\n    - name: a\n      handler: ../test/fixtures/handlers/echo.ts\n`;
    expect(errorsOf(text)).toEqual([{ code: 'value_out_of_range', path: 'workflow.engine.timeout', line: 2, severity: 'error' }]);
  });

  it('refuses fallback loops and dependencies on fallback tasks', () => {
    const h = '      handler: ../test/fixtures/handlers/echo.ts\n';
    const text = `workflow:\n  tasks:\n    - name: a\n${h}      on_failure: b\n    - name: b\n${h}      on_failure: a\n    - name: c\n${h}      depends_on: [b]\n`;
    expect(errorsOf(text).map((d) => [d.code, d.path])).toEqual([
      ['depends_on_fallback', 'workflow.tasks.2.depends_on.0'],
      ['cycle', 'workflow.tasks.0.on_failure'],
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorsOf('workflow:\n  tasks: [\n')).toMatchObject([{ code: 'syntax_error', line: expect.any(Number) }]);
  });

  it('accepts durations as 300s, 5m, 1h and plain seconds', () => {
    const text = `workflow:\n  engine: { timeout: 1h }\n  tasks:\n    - name: a\n      handler: ../test/fixtures/handlers/echo.ts\n      timeout: 5m\n      backoff: { interval: 3, max_delay: 90s }\n`;
    const { definition } = parseDefinition(text, file);
    expect(definition?.engine.timeoutSeconds).toBe(3600);
    expect(definition?.tasks[0]).toMatchObject({ timeoutSeconds: 300, backoff: { intervalSeconds: 3, maxDelaySeconds: 90, rate: 2, jitter: 'none' } });
  });

  it('reads estimates as seconds, fractions allowed, and the dag strategy', () => {
    const text = `workflow:\n  engine: { type: parallel, dag: gated }\n  tasks:\n    - name: a\n      handler: ../test/fixtures/handlers/echo.ts\n      estimate: 250ms\n`;
    const { definition } = parseDefinition(text, file);
    expect(definition?.engine.dag).toBe('gated');
    expect(definition?.tasks[0].estimateSeconds).toBe(0.25);
  });

  it('refuses the gated strategy on an express workflow, and an estimate of nothing', () => {
    const text = `workflow:\n  engine: { type: parallel, mode: express, dag: gated }\n  tasks:\n    - name: a\n      handler: ../test/fixtures/handlers/echo.ts\n      estimate: 0s\n`;
    expect(errorsOf(text)).toEqual([
      { code: 'value_out_of_range', path: 'workflow.tasks.0.estimate', line: 6, severity: 'error' },
      { code: 'unsupported_strategy', path: 'workflow.engine.dag', line: 2, severity: 'error' },
    ]);
  });

  it('refuses a task timeout that leaves its Lambda less than 10 seconds more', () => {
    // GIVEN 895s: the Lambda would need 905s, above Lambda's 900s
    const text = `workflow:\n  tasks:\n    - name: a\n      handler: ../test/fixtures/handlers/echo.ts\n      timeout: 895s\n`;
    expect(errorsOf(text)).toEqual([{ code: 'value_out_of_range', path: 'workflow.tasks.0.timeout', line: 5, severity: 'error' }]);
  });
});
