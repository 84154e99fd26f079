import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/shared/config.ts';
import { ConfigurationError } from '../../../core/errors.ts';

describe('loadConfig', () => {
  it('parses the table, the workflows (mode defaulting to STANDARD) and the region', () => {
    const env = {
      STEPFLOW_TABLE: 'executions',
      STEPFLOW_WORKFLOWS: JSON.stringify({ orders: { stateMachineArn: 'arn:sm', inputSchema: { type: 'object' } } }),
    };
    expect(loadConfig(env)).toEqual({
      table: 'executions',
      workflows: { orders: { stateMachineArn: 'arn:sm', inputSchema: { type: 'object' }, mode: 'STANDARD' } },
      aws: { region: 'us-east-1' },
      scheduling: { scheduleGroup: 'default', eventBus: 'default', retryAttempts: 8, maxEventAgeSeconds: 3600 },
    });
  });

  it('reads the environment it is given, not the process environment', () => {
    // GIVEN two environments WHEN each is loaded THEN each value reflects its own
    expect(loadConfig({ STEPFLOW_TABLE: 'first', AWS_REGION: 'eu-west-1' })).toMatchObject({ table: 'first', aws: { region: 'eu-west-1' } });
    expect(loadConfig({ STEPFLOW_TABLE: 'second', AWS_REGION: '' })).toMatchObject({ table: 'second', aws: { region: 'us-east-1' } });
  });

  it('reads the scheduling settings', () => {
    const env = { STEPFLOW_TABLE: 't', STEPFLOW_SCHEDULE_GROUP: 'g', STEPFLOW_EVENT_BUS: 'b', STEPFLOW_DISPATCHER_ARN: 'arn:d', STEPFLOW_SCHEDULER_ROLE_ARN: 'arn:r', STEPFLOW_SCHEDULE_DLQ_ARN: 'arn:q' };
    expect(loadConfig(env).scheduling).toEqual({
      scheduleGroup: 'g', eventBus: 'b', dispatcherArn: 'arn:d', schedulerRoleArn: 'arn:r', deadLetterArn: 'arn:q', retryAttempts: 8, maxEventAgeSeconds: 3600,
    });
  });

  it('reads the retry policy of API-created rules, within EventBridge bounds', () => {
    const env = { STEPFLOW_TABLE: 't', STEPFLOW_TRIGGER_RETRY_ATTEMPTS: '3', STEPFLOW_TRIGGER_MAX_EVENT_AGE: '600' };
    expect(loadConfig(env).scheduling).toMatchObject({ retryAttempts: 3, maxEventAgeSeconds: 600 });
    expect(() => loadConfig({ ...env, STEPFLOW_TRIGGER_RETRY_ATTEMPTS: '186' })).toThrow(/STEPFLOW_TRIGGER_RETRY_ATTEMPTS/);
    expect(() => loadConfig({ ...env, STEPFLOW_TRIGGER_MAX_EVENT_AGE: '30' })).toThrow(/STEPFLOW_TRIGGER_MAX_EVENT_AGE/);
  });

  it('reports every problem of an invalid environment', () => {
    const env = { STEPFLOW_WORKFLOWS: '{not json' };
    expect(() => loadConfig(env)).toThrow(ConfigurationError);
    expect(() => loadConfig(env)).toThrow(/STEPFLOW_TABLE.*STEPFLOW_WORKFLOWS: must be JSON/);
  });
});
