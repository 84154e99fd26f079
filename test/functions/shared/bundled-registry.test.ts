import { afterEach, describe, expect, it } from 'vitest';
import { bundledWorkflows } from '../../../functions/shared/bundled-registry.ts';
import { loadConfig } from '../../../functions/shared/config.ts';
import { ConfigurationError } from '../../../core/errors.ts';

const PREFIX = 'arn:aws:states:eu-west-1:123456789012:stateMachine:';

describe('bundledWorkflows', () => {
  it('is empty where no registry was bundled (offline, tests)', () => {
    expect(bundledWorkflows(undefined, undefined)).toEqual({});
  });

  it('completes each state machine name into an ARN and keeps mode, schema and limits', () => {
    const registry = {
      workflows: {
        orders: { stateMachineName: 'Stepflow-orders', mode: 'EXPRESS', inputSchema: { type: 'object' }, maxEvents: 10 },
        backup: { stateMachineName: 'Stepflow-backup', maxJobs: 5 },
      },
    };
    expect(bundledWorkflows(PREFIX, registry)).toEqual({
      orders: { stateMachineArn: `${PREFIX}Stepflow-orders`, mode: 'EXPRESS', inputSchema: { type: 'object' }, maxEvents: 10 },
      backup: { stateMachineArn: `${PREFIX}Stepflow-backup`, mode: 'STANDARD', maxJobs: 5 },
    });
  });

  it('refuses a registry without the ARN prefix, and a malformed registry', () => {
    expect(() => bundledWorkflows(undefined, { workflows: {} })).toThrow(/STEPFLOW_STATE_MACHINE_ARN_PREFIX/);
    expect(() => bundledWorkflows(PREFIX, { workflows: { orders: { mode: 'STANDARD' } } })).toThrow(ConfigurationError);
    expect(() => bundledWorkflows(PREFIX, { workflows: { orders: { mode: 'STANDARD' } } })).toThrow(/workflows\.orders\.stateMachineName/);
  });
});

describe('loadConfig with a bundled registry', () => {
  afterEach(() => {
    globalThis.__STEPFLOW_REGISTRY__ = undefined;
  });

  it('reads the workflows from the registry esbuild defined, STEPFLOW_WORKFLOWS winning for a name in both', () => {
    // GIVEN the global esbuild's define replaces in a deployed bundle
    globalThis.__STEPFLOW_REGISTRY__ = { workflows: { orders: { stateMachineName: 'S-orders', mode: 'STANDARD' }, quick: { stateMachineName: 'S-quick', mode: 'EXPRESS' } } };
    const env = {
      STEPFLOW_TABLE: 'executions',
      STEPFLOW_STATE_MACHINE_ARN_PREFIX: PREFIX,
      STEPFLOW_WORKFLOWS: JSON.stringify({ quick: { stateMachineArn: 'arn:local:quick', mode: 'EXPRESS' } }),
    };
    // THEN
    expect(loadConfig(env).workflows).toEqual({
      orders: { stateMachineArn: `${PREFIX}S-orders`, mode: 'STANDARD' },
      quick: { stateMachineArn: 'arn:local:quick', mode: 'EXPRESS' },
    });
  });
});
