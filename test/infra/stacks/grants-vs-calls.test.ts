import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../../project/load-project.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';
import { sdkCallsFrom } from '../support/sdk-calls.ts';

const root = resolve(import.meta.dirname, '../../..');
const entry = (name: string) => resolve(root, `functions/${name}/handler.ts`);

/** What every stepflow Lambda's role holds besides what its code sends: its log group, X-Ray, KMS for encrypted data. */
const PLATFORM = /^(logs:(CreateLogStream|PutLogEvents)|xray:\w+|kms:\w+)$/;

/** Actions AWS checks on behalf of another call, not sent by the code. */
const IMPLIED: Record<string, (calls: Set<string>, fn: Record<string, any>) => boolean> = {
  // CreateSchedule with a target role (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html)
  'iam:PassRole': (calls) => calls.has('scheduler:CreateSchedule'),
  // Lambda sends failed asynchronous invocations to the function's DLQ with its role
  'sqs:SendMessage': (_calls, fn) => fn.Properties.DeadLetterConfig !== undefined,
};

/**
 * Calls the scanner reaches by name where the handler does not make them: it follows method names, and
 * `get`/`list` are also Map and array methods. Each entry says what the handler does call instead.
 */
const REACHABLE_NOT_CALLED: Record<string, readonly string[]> = {
  // recorder: the execution store's recordStatus only
  recorder: ['dynamodb:GetItem', 'dynamodb:Query'],
  // dispatcher: create, get, discard, recordArn, recordStatus, claimFire, recordFire, getFlag, tryAcquire; no listing
  dispatcher: ['dynamodb:Query'],
};

/**
 * Sent only for some workflows, and granted only on those: StartSyncExecution awaits Express workflows short enough
 * (`runsSynchronously`); SendTask* answer callback tasks (test/infra/stacks/saga-callback-stack.test.ts checks that grant).
 */
const FOR_SOME_WORKFLOWS = ['states:StartSyncExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];

/** Granted only on pools deployed with min_size > 0 (their `live` alias); test/infra/constructs/pool-api.test.ts checks that grant. */
const FOR_WARM_POOLS = ['lambda:GetProvisionedConcurrencyConfig', 'lambda:PutProvisionedConcurrencyConfig', 'lambda:DeleteProvisionedConcurrencyConfig'];

describe('IAM grants match the SDK calls of each handler', () => {
  let stack: StepflowStack;
  let template: Template;

  beforeAll(() => {
    const { plans } = loadProject(resolve(root, 'definitions'));
    stack = new StepflowStack(new App({ context: NO_BUNDLING }), 'Grants', { plans });
    template = Template.fromStack(stack);
  });

  const handlers = (): Record<string, { fn: lambda.IFunction; entry: string }> => ({
    api: { fn: stack.api.function, entry: entry('api') },
    recorder: { fn: stack.recorder!.function, entry: entry('recorder') },
    dispatcher: { fn: stack.triggerHub.dispatcher!.function, entry: entry('scheduling') },
    ...(stack.serviceInvoker ? { serviceInvoker: { fn: stack.serviceInvoker.function, entry: entry('service-invoker') } } : {}),
  });

  it.each(['api', 'recorder', 'dispatcher', 'serviceInvoker'])('%s: every granted action is called, every call is granted', (name) => {
    const handler = handlers()[name];
    if (!handler) return;
    const calls = new Set(sdkCallsFrom(handler.entry).map((c) => c.action));
    const granted = grantedActions(template, stack, handler.fn);
    const fn = template.toJSON().Resources[stack.resolve((handler.fn.node.defaultChild as any).logicalId)];
    const unused = [...granted].filter((a) => !PLATFORM.test(a) && !calls.has(a) && !IMPLIED[a]?.(calls, fn));
    expect(unused, `granted to ${name} but never sent`).toEqual([]);
    const missing = [...calls].filter((a) => !granted.has(a) && !(REACHABLE_NOT_CALLED[name] ?? []).includes(a) && !FOR_SOME_WORKFLOWS.includes(a) && !FOR_WARM_POOLS.includes(a));
    expect(missing, `sent by ${name} without a grant`).toEqual([]);
    for (const excused of REACHABLE_NOT_CALLED[name] ?? []) expect(granted.has(excused), `${name} should not hold ${excused}`).toBe(false);
  });

  it('grants index ARNs only to handlers whose code queries an index', () => {
    for (const [name, handler] of Object.entries(handlers())) {
      const queriesIndex = sdkCallsFrom(handler.entry).some((c) => c.indexed) && !(REACHABLE_NOT_CALLED[name] ?? []).includes('dynamodb:Query');
      const resources = JSON.stringify(statementsOf(template, stack, handler.fn).map((s) => s.Resource));
      expect(resources.includes('/index/'), name).toBe(queriesIndex);
    }
  });

  it('grants StartSyncExecution to the API and the dispatcher on Express workflows they await, and only there', () => {
    const app = new App({ context: NO_BUNDLING });
    const quick = { ...workflowPlan('quick', [taskFunction('fetch', FETCH_HANDLER)], { mode: 'EXPRESS' }), asl: { ...workflowPlan('quick', [taskFunction('fetch', FETCH_HANDLER)]).asl, TimeoutSeconds: 20 } };
    const slow = workflowPlan('slow', [taskFunction('fetch', FETCH_HANDLER)]);
    const express = new StepflowStack(app, 'Express', { plans: [quick, slow] });
    const expressTemplate = Template.fromStack(express);
    for (const fn of [express.api.function, express.triggerHub.dispatcher!.function]) {
      const sync = statementsOf(expressTemplate, express, fn).filter((s) => [s.Action].flat().includes('states:StartSyncExecution'));
      expect(sync.map((s) => s.Resource)).toEqual([{ Ref: expect.stringMatching(/^WorkflowQuickStateMachine/) }]);
    }
  });

  it('without run-time triggers the API still holds what starting an execution writes (recordArn, recordStatus)', () => {
    const { plans } = loadProject(resolve(root, 'definitions'));
    const plain = new StepflowStack(new App({ context: NO_BUNDLING }), 'Plain', { plans, runtimeTriggers: false });
    const granted = grantedActions(Template.fromStack(plain), plain, plain.api.function);
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']) expect(granted).toContain(action);
    expect([...granted].filter((a) => /^(scheduler|events|iam):/.test(a))).toEqual([]);
  });
});

function statementsOf(template: Template, stack: Stack, fn: lambda.IFunction): { Action: string | string[]; Resource: unknown }[] {
  const roleId = stack.resolve((fn.role!.node.defaultChild as any).logicalId);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function grantedActions(template: Template, stack: Stack, fn: lambda.IFunction): Set<string> {
  return new Set(statementsOf(template, stack, fn).flatMap((s) => [s.Action].flat()));
}
