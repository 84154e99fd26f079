import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { REGISTRY_DEFINE, registryDelivery, workflowRegistry } from '../../../infra/constructs/private/registry.ts';
import { TaskFunctions } from '../../../infra/constructs/task-functions.ts';
import { Workflow } from '../../../infra/constructs/workflow.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from './fixtures/plans.ts';

function workflows(stack: Stack, schema?: Record<string, unknown>): Workflow[] {
  const orders = { ...workflowPlan('orders', [taskFunction('fetch', FETCH_HANDLER)]), ...(schema ? { inputSchema: schema } : {}) };
  const backup = { ...workflowPlan('backup', [taskFunction('fetch', FETCH_HANDLER)], { mode: 'EXPRESS' }), scheduling: { cronEnabled: true, eventEnabled: true, maxJobs: 1000, maxEvents: 10000 } };
  const tasks = new TaskFunctions(stack, 'Tasks', { plans: [orders, backup] });
  return [orders, backup].map((plan) => new Workflow(stack, plan.name, { plan, functions: tasks.functionsFor(plan) }));
}

describe('workflow registry', () => {
  it('holds names, state machine names, modes, input schemas and limits: no tokens', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Shop');
    expect(workflowRegistry(workflows(stack, { type: 'object', required: ['id'] }))).toEqual({
      workflows: {
        orders: { stateMachineName: 'Shop-orders', mode: 'STANDARD', inputSchema: { type: 'object', required: ['id'] } },
        backup: { stateMachineName: 'Shop-backup-express', mode: 'EXPRESS', maxJobs: 1000, maxEvents: 10000 },
      },
    });
  });

  it('is delivered as an esbuild define of JSON, with only the ARN prefix left to the environment', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Shop');
    const delivery = registryDelivery(stack, workflows(stack));
    expect(Object.keys(delivery.define)).toEqual([REGISTRY_DEFINE]);
    expect(JSON.parse(delivery.define[REGISTRY_DEFINE]).workflows.orders.stateMachineName).toBe('Shop-orders');
    expect(stack.resolve(delivery.environment)).toEqual({
      STEPFLOW_STATE_MACHINE_ARN_PREFIX: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':stateMachine:']] },
    });
  });

  it('warns when the registry nears the size of one command-line argument', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Shop');
    const huge = { type: 'object', description: 'x'.repeat(120_000) };
    registryDelivery(stack, workflows(stack, huge));
    const warnings = stack.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/^the workflow registry is \d+ bytes/)]);
  });
});
