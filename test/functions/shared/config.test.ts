import { afterEach, describe, expect, it } from 'vitest';
import { config, resetConfig } from '../../../functions/shared/config.ts';
import { ConfigurationError } from '../../../core/errors.ts';

const saved = { ...process.env };

describe('config', () => {
  afterEach(() => {
    process.env = { ...saved };
    resetConfig();
  });

  it('parses the table, the workflows (mode defaulting to STANDARD) and the region', () => {
    process.env.STEPFLOW_TABLE = 'executions';
    process.env.STEPFLOW_WORKFLOWS = JSON.stringify({ orders: { stateMachineArn: 'arn:sm', inputSchema: { type: 'object' } } });
    delete process.env.AWS_REGION;
    expect(config()).toEqual({
      table: 'executions',
      workflows: { orders: { stateMachineArn: 'arn:sm', inputSchema: { type: 'object' }, mode: 'STANDARD' } },
      region: 'us-east-1',
      scheduling: { scheduleGroup: 'default', eventBus: 'default' },
    });
  });

  it('reads the environment once', () => {
    process.env.STEPFLOW_TABLE = 'first';
    expect(config().table).toBe('first');
    process.env.STEPFLOW_TABLE = 'second';
    expect(config().table).toBe('first');
  });

  it('reports every problem of an invalid environment', () => {
    delete process.env.STEPFLOW_TABLE;
    process.env.STEPFLOW_WORKFLOWS = '{not json';
    expect(() => config()).toThrow(ConfigurationError);
    expect(() => config()).toThrow(/STEPFLOW_TABLE.*STEPFLOW_WORKFLOWS: must be JSON/);
  });
});
