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

  it('reads the deployed pools: queue URLs and ARNs from their names, lanes in order with their shares of max_size', () => {
    const pools = {
      queueUrlPrefix: 'https://sqs.eu-west-1.amazonaws.com/123456789012/',
      queueArnPrefix: 'arn:aws:sqs:eu-west-1:123456789012:',
      pools: {
        shrink: {
          minSize: 0, maxSize: 5, batchSize: 1, timeoutSeconds: 30, idleTimeoutSeconds: 300, maxRestarts: 3, restartDelaySeconds: 10,
          lanes: [['high', 60, 'S-shrink-high', 'S-shrink-high-dlq', 'uuid-1'], ['normal', 40, 'S-shrink-normal', 'S-shrink-normal-dlq', 'uuid-2']],
        },
      },
    };
    const config = loadConfig({ STEPFLOW_TABLE: 't', STEPFLOW_POOLS: JSON.stringify(pools) });
    const shrink = config.pools!.pools.shrink;
    expect(shrink.definition.lanes).toEqual([{ name: 'high', share: 60, concurrency: 3 }, { name: 'normal', share: 40, concurrency: 2 }]);
    expect(shrink.lanes[1]).toEqual({
      name: 'normal',
      url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/S-shrink-normal',
      dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/S-shrink-normal-dlq',
      arn: 'arn:aws:sqs:eu-west-1:123456789012:S-shrink-normal',
      mappingUuid: 'uuid-2',
    });
    expect(config.pools!.schedulerRoleArn).toBeUndefined();
    expect(loadConfig({ STEPFLOW_TABLE: 't' }).pools).toBeUndefined();
    expect(() => loadConfig({ STEPFLOW_TABLE: 't', STEPFLOW_POOLS: JSON.stringify({ ...pools, pools: { shrink: { ...pools.pools.shrink, lanes: [] } } }) })).toThrow(/STEPFLOW_POOLS\.pools\.shrink\.lanes/);
  });

  it('reports every problem of an invalid environment', () => {
    const env = { STEPFLOW_WORKFLOWS: '{not json' };
    expect(() => loadConfig(env)).toThrow(ConfigurationError);
    expect(() => loadConfig(env)).toThrow(/STEPFLOW_TABLE.*STEPFLOW_WORKFLOWS: must be JSON/);
  });
});
