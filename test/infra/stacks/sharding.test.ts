import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { compileTriggers } from '../../../core/compiler/triggers.ts';
import { workflowRegistry } from '../../../infra/constructs/private/registry.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { estimateWorkflowResources } from '../../../infra/stacks/sharding/resource-estimate.ts';
import { assignShards } from '../../../infra/stacks/sharding/shard-assignment.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';

/** `count` one-task workflows, each with its own handler export (so its own Lambda). */
function plans(count: number, from = 0): WorkflowPlan[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return workflowPlan(`flow${n}`, [taskFunction(`step${n}`, FETCH_HANDLER, { handler: { file: FETCH_HANDLER, exportName: `handler${n}` } })]);
  });
}

const resourceCount = (template: Template) => Object.keys(template.toJSON().Resources ?? {}).length;

describe('assignShards', () => {
  const workflows = (names: string[]) => names.map((name) => ({ name, resources: 100 }));

  it('fills the first shard with room, then opens the next', () => {
    expect(assignShards({ workflows: workflows(['a', 'b', 'c', 'd', 'e']), budget: 250 })).toEqual({ a: 1, b: 1, c: 2, d: 2, e: 3 });
  });

  it('keeps recorded shards and puts a new workflow where there is room, even before the others', () => {
    const recorded = { a: 2, b: 2, c: 1 };
    expect(assignShards({ workflows: workflows(['new', 'a', 'b', 'c']), recorded, budget: 250 })).toEqual({ new: 1, a: 2, b: 2, c: 1 });
  });

  it('forgets removed workflows and ignores malformed records', () => {
    expect(assignShards({ workflows: workflows(['a']), recorded: { gone: 1, a: 0 } as Record<string, number>, budget: 250 })).toEqual({ a: 1 });
  });
});

describe('StepflowStack sharding', () => {
  let app: App;
  let base: StepflowStack;

  beforeAll(() => {
    // GIVEN 60 one-task workflows, about 1000 resources in one stack
    app = new App({ context: NO_BUNDLING });
    addNagChecks(app);
    const [triggered, express, ...rest] = plans(60);
    base = new StepflowStack(app, 'Big', {
      plans: [
        {
          ...triggered,
          triggers: compileTriggers([
            { kind: 'schedule', name: 'hourly', expression: 'rate(1 hour)', timezone: 'UTC', input: {}, enabled: true },
            { kind: 'schedule', name: 'nightly', expression: 'cron(0 2 * * ? *)', timezone: 'Europe/Paris', input: {}, enabled: true },
            { kind: 'event', name: 'placed', pattern: { source: ['shop.orders'] }, input: { kind: 'event' }, enabled: true },
          ]),
          scheduling: { cronEnabled: true, eventEnabled: true },
        },
        { ...express, mode: 'EXPRESS' },
        ...rest,
      ],
    });
  });

  it('spreads the workflows over shard stacks, each under the per-stack budget, the base keeping the shared resources', () => {
    expect(base.shards.length).toBeGreaterThanOrEqual(3);
    expect(app.node.children.filter((c) => c instanceof Stack).length).toBe(base.shards.length + 1);
    const baseTemplate = Template.fromStack(base); // synthesizes the app: cdk-nag (addNagChecks) fails it on any finding
    expect(resourceCount(baseTemplate)).toBeLessThanOrEqual(450);
    baseTemplate.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    baseTemplate.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    let machines = 0;
    for (const shard of base.shards) {
      const template = Template.fromStack(shard);
      expect(resourceCount(template)).toBeLessThanOrEqual(450);
      template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
      machines += Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).length;
      // one-way: the shard depends on the base, never the other way
      expect(shard.dependencies).toContain(base);
    }
    expect(machines).toBe(60);
    // triggers, alarms and the Express subscription live with their workflow
    const first = Template.fromStack(base.shards[0]);
    first.resourceCountIs('AWS::Scheduler::Schedule', 1);
    expect(Object.keys(first.findResources('AWS::Events::Rule')).length).toBe(2);
    first.resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
    expect(Object.keys(first.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThan(0);
    // a schedule names the alias by formatted ARN, so it waits for the alias explicitly
    const [schedule] = Object.values(first.findResources('AWS::Scheduler::Schedule'));
    expect(JSON.stringify(schedule.DependsOn)).toContain('Alias');
    expect(base.dependencies).toEqual([]);
  });

  it('keeps the state machine names of the base stack, so the API and registry know every workflow', () => {
    const registry = workflowRegistry(base.workflows);
    expect(Object.keys(registry.workflows)).toHaveLength(60);
    expect(registry.workflows.flow42.stateMachineName).toBe('Big-flow42');
    const shard = base.shards.find((s) => s.workflows.some((w) => w.plan.name === 'flow42'))!;
    const machine = Template.fromStack(shard).findResources('AWS::StepFunctions::StateMachine');
    expect(Object.values(machine).map((m) => m.Properties.StateMachineName)).toContain('Big-flow42');
    // the API and the dispatcher may start every workflow: one grant on the name prefix (aliases included), not a reference
    const policies = Template.fromStack(base).findResources('AWS::IAM::Policy');
    for (const role of ['ApiHandlerRole', 'TriggersDispatcherRole']) {
      const policy = Object.entries(policies).find(([id]) => id.startsWith(role))![1];
      expect(JSON.stringify(policy)).toContain(':stateMachine:Big-*');
    }
    // the recorder listens to flow42 by its formatted ARN
    const rules = JSON.stringify(Template.fromStack(base).findResources('AWS::Events::Rule'));
    expect(rules).toContain(':stateMachine:Big-flow42');
  });

  it('moves no workflow when one is added, given the recorded assignment', () => {
    const before = base.shardAssignment!;
    const grown = new StepflowStack(new App({ context: NO_BUNDLING }), 'Big', {
      plans: [...plans(1, 999), ...plans(60)],
      shardAssignments: before,
    });
    const after = grown.shardAssignment!;
    for (const [name, shard] of Object.entries(before)) expect(after[name]).toBe(shard);
    expect(after.flow999).toBeGreaterThanOrEqual(1);
  });

  it('stays one stack when everything fits', () => {
    const small = new StepflowStack(new App({ context: NO_BUNDLING }), 'Small', { plans: plans(3) });
    expect(small.shards).toEqual([]);
    expect(small.shardAssignment).toBeUndefined();
    Template.fromStack(small).resourceCountIs('AWS::StepFunctions::StateMachine', 3);
  });

  it('estimates at least the resources a workflow really adds', () => {
    const count = (n: number) => resourceCount(Template.fromStack(new StepflowStack(new App({ context: NO_BUNDLING }), 'Count', { plans: plans(n) })));
    const one = count(1);
    const two = count(2);
    expect(estimateWorkflowResources(plans(1, 1)[0])).toBeGreaterThanOrEqual(two - one);
  });
});

describe('shard context', () => {
  it('records the assignment in cdk.context.json, keeps other keys, and reads it back per stack', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { recordShards, recordedShards, SHARDS_CONTEXT_KEY } = await import('../../../infra/stacks/sharding/shard-context.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'shards-')), 'cdk.context.json');
    writeFileSync(file, JSON.stringify({ 'availability-zones:1:eu-west-1': ['a'] }));
    expect(recordShards(file, 'Big', { a: 1, b: 2 })).toBe(true);
    expect(recordShards(file, 'Big', { a: 1, b: 2 })).toBe(false);
    expect(recordShards(file, 'Small', undefined)).toBe(false);
    const context = JSON.parse(readFileSync(file, 'utf8'));
    expect(context['availability-zones:1:eu-west-1']).toEqual(['a']);
    expect(recordedShards(context[SHARDS_CONTEXT_KEY], 'Big')).toEqual({ a: 1, b: 2 });
    expect(recordedShards(JSON.stringify(context[SHARDS_CONTEXT_KEY]), 'Other')).toBeUndefined();
  });

  it('stays sharded once recorded, even when the workflows would fit in one stack', () => {
    const stack = new StepflowStack(new App({ context: NO_BUNDLING }), 'Was', { plans: plans(2), shardAssignments: { flow0: 1 } });
    expect(stack.shardAssignment).toEqual({ flow0: 1, flow1: 1 });
    expect(stack.shards).toHaveLength(1);
  });
});
