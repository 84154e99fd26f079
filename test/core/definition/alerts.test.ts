import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitionText as parseDefinition } from '../../../project/definition-files.ts';

const file = resolve('definitions/alerting.yaml');

const workflow = (alerts: string) => `workflow:
  name: alerting
  engine:
    timeout: 10m
  tasks:
    - name: validate_order
      timeout: 30s
  alerts:
${alerts}
`;

describe('alerts block', () => {
  it('takes thresholds, a percentage of the timeout and an e-mail address', () => {
    const { definition, diagnostics } = parseDefinition(workflow('    failed_executions: 3\n    duration_p99: 90%\n    topic_email: ops@example.com'), file, 'alerting.yaml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(definition?.alerts).toEqual({
      failedExecutions: 3,
      timedOutExecutions: 1,
      durationP99: { fractionOfTimeout: 0.9 },
      lambdaErrors: 1,
      lambdaThrottles: 1,
      topicEmail: 'ops@example.com',
    });
  });

  it('takes a duration for the p99 limit, and defaults when the block is absent', () => {
    const withDuration = parseDefinition(workflow('    duration_p99: 2m'), file, 'alerting.yaml');
    expect(withDuration.definition?.alerts?.durationP99).toEqual({ seconds: 120 });
    const without = parseDefinition(workflow('').replace('  alerts:\n', ''), file, 'alerting.yaml');
    expect(without.definition?.alerts).toMatchObject({ failedExecutions: 1, durationP99: { fractionOfTimeout: 0.8 } });
  });

  it('reports each bad value at its path and line, and unknown keys with a suggestion', () => {
    const text = workflow('    failed_executions: 0\n    duration_p99: 150%\n    topic_email: nobody\n    lambda_error: 2');
    const problems = parseDefinition(text, file, 'alerting.yaml').diagnostics.map((d) => ({ path: d.path.join('.'), line: d.line, message: d.message }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'workflow.alerts.failed_executions', line: 9, message: expect.stringMatching(/at least 1/) }),
        expect.objectContaining({ path: 'workflow.alerts.duration_p99', line: 10, message: expect.stringMatching(/percentage/) }),
        expect.objectContaining({ path: 'workflow.alerts.topic_email', line: 11, message: expect.stringMatching(/e-mail/) }),
        expect.objectContaining({ line: 12, message: expect.stringMatching(/lambda_error.*did you mean "lambda_errors"/) }),
      ]),
    );
  });
});
