import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatcherPayload } from '../../../functions/scheduling/payload.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { compileTriggers, type EventTriggerPlan } from '../../../core/compiler/triggers.ts';
import type { SchedulingLimits, TriggerDefinition } from '../../../core/definition/model.ts';
import { StateTable } from '../../../infra/constructs/state-table.ts';
import { TaskFunctions } from '../../../infra/constructs/task-functions.ts';
import { TriggerHub } from '../../../infra/constructs/trigger-hub.ts';
import { WorkflowTriggers } from '../../../infra/constructs/workflow-triggers.ts';
import { Workflow } from '../../../infra/constructs/workflow.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from './fixtures/plans.ts';

const ENABLED: SchedulingLimits = { cronEnabled: true, eventEnabled: true };

const schedule = (name: string, expression: string, extra: Partial<Extract<TriggerDefinition, { kind: 'schedule' }>> = {}): TriggerDefinition => ({
  kind: 'schedule',
  name,
  expression,
  timezone: 'UTC',
  input: {},
  enabled: true,
  ...extra,
});

const event = (name: string, pattern: Record<string, unknown>, extra: Partial<Extract<TriggerDefinition, { kind: 'event' }>> = {}): TriggerDefinition => ({
  kind: 'event',
  name,
  pattern,
  input: { kind: 'event' },
  enabled: true,
  ...extra,
});

/** A workflow plan with the given triggers, compiled as the compiler does. */
function planWith(name: string, triggers: TriggerDefinition[], scheduling: SchedulingLimits = ENABLED): WorkflowPlan {
  return { ...workflowPlan(name, [taskFunction('fetch', FETCH_HANDLER)]), triggers: compileTriggers(triggers), scheduling };
}

interface Built {
  readonly stack: Stack;
  readonly template: Template;
  readonly triggers: WorkflowTriggers[];
}

function build(plans: WorkflowPlan[], hub: { dispatcher?: boolean } = {}): Built {
  const stack = new Stack(new App({ context: NO_BUNDLING }), 'Test');
  const tasks = new TaskFunctions(stack, 'Tasks', { plans });
  const workflows = plans.map((plan) => new Workflow(stack, plan.name, { plan, functions: tasks.functionsFor(plan) }));
  const triggerHub = new TriggerHub(stack, 'Triggers', { table: new StateTable(stack, 'State'), workflows, dispatcherEntry: FETCH_HANDLER, ...hub });
  const triggers = workflows.map((workflow) => new WorkflowTriggers(stack, `${workflow.plan.name}Triggers`, { workflow, hub: triggerHub }));
  return { stack, template: Template.fromStack(stack), triggers };
}

const ORDERS_PATTERN = {
  'source': ['shop.orders'],
  'detail-type': [{ prefix: 'Order' }],
  'detail': { amount: [{ numeric: ['>', 0, '<=', 1000] }], region: [{ 'anything-but': ['test'] }] },
  '$or': [{ detail: { priority: ['high'] } }, { detail: { express: [{ exists: true }] } }],
};

const RETRY = { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 };
const DLQ = { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggersDeadLetterQueue'), 'Arn'] } };
const DISPATCHER_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggersDispatcher'), 'Arn'] };

describe('WorkflowTriggers', () => {
  let built: Built;
  let plan: WorkflowPlan;

  beforeAll(() => {
    // GIVEN one workflow with every kind of trigger
    plan = planWith('orders', [
      schedule('nightly', '0 0 * * *', { input: { scope: 'full' } }),
      schedule('hourly', 'rate(1 hour)', { condition: { flag: { name: 'hourly_on', equals: true } } }),
      schedule('paris', 'cron(15 * * * ? *)', { timezone: 'Europe/Paris', input: { scope: 'incremental' }, condition: { flag: { name: 'backups', equals: true } } }),
      schedule('launch', 'at(2030-01-01T09:00:00)', { timezone: 'America/New_York', input: { launch: true } }),
      event('placed', ORDERS_PATTERN, { input: { kind: 'path', path: '$.detail' } }),
      event('shipped', { source: ['shop.shipping'] }, { bus: 'default', input: { kind: 'template', template: { order: '<$.detail.id>', note: 'shipped <$.detail.carrier>' } } }),
      event('partner', { source: ['partner.feed'] }, { bus: 'partners', condition: { match: { detail: { ok: [true] } } }, input: { kind: 'template', template: { id: '<$.detail.id>' } } }),
    ]);
    built = build([plan]);
  });

  /** The synthesized properties of the rule of trigger `name`. */
  const ruleProps = (name: string): Record<string, any> => {
    const cfn = built.triggers[0].rules.get(name)!.node.defaultChild as CfnElement;
    return built.template.toJSON().Resources[built.stack.getLogicalId(cfn)].Properties;
  };

  it('turns a UTC cron into an EventBridge rule that starts the state machine with the static input', () => {
    built.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 0 * * ? *)',
      State: 'ENABLED',
      Targets: [
        {
          Id: Match.anyValue(),
          Arn: { Ref: Match.stringLikeRegexp('^ordersStateMachine') },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggersEventsRole'), 'Arn'] },
          Input: '{"scope":"full"}',
          RetryPolicy: RETRY,
          DeadLetterConfig: DLQ,
        },
      ],
    });
    expect(ruleProps('nightly').EventBusName).toBeUndefined(); // schedules run on the default bus
  });

  it('sends a conditional UTC schedule to the dispatcher with the scheduled event time, as the dispatcher parses it', () => {
    const props = ruleProps('hourly');
    expect(props.ScheduleExpression).toBe('rate(1 hour)');
    expect(props.Targets).toHaveLength(1);
    const [target] = props.Targets;
    expect(target).toMatchObject({ Arn: expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^TriggersDispatcher/), 'Arn'] }), RetryPolicy: RETRY });
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^TriggersDeadLetterQueue/);
    expect(target.InputTransformer.InputPathsMap).toEqual({ time: '$.time' });
    // EventBridge puts the event's time (a JSON string) where <time> stands.
    const delivered = JSON.parse(target.InputTransformer.InputTemplate.replace('<time>', '"2030-01-01T10:00:00Z"'));
    expect(dispatcherPayload.parse(delivered)).toEqual({
      kind: 'schedule',
      scheduleId: 'orders.hourly',
      workflow: 'orders',
      input: {},
      condition: { flag: { name: 'hourly_on', equals: true } },
      scheduledTime: '2030-01-01T10:00:00Z',
    });
  });

  it('turns a time zone into a Scheduler schedule: no flexible window, retries, dead letters, the Scheduler role', () => {
    built.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      GroupName: { Ref: Match.stringLikeRegexp('^TriggersScheduleGroup') },
      Target: {
        Arn: DISPATCHER_ARN,
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggersSchedulerRole'), 'Arn'] },
        Input: Match.anyValue(),
        RetryPolicy: RETRY,
        DeadLetterConfig: DLQ,
      },
    });
    const paris = Object.values(built.template.findResources('AWS::Scheduler::Schedule', { Properties: { ScheduleExpressionTimezone: 'Europe/Paris' } }))[0];
    // Scheduler replaces <aws.scheduler.scheduled-time> before invoking the dispatcher.
    const delivered = JSON.parse(paris.Properties.Target.Input.replace('<aws.scheduler.scheduled-time>', '2030-01-01T08:15:00Z'));
    expect(dispatcherPayload.parse(delivered)).toMatchObject({
      kind: 'schedule',
      scheduleId: 'orders.paris',
      input: { scope: 'incremental' },
      condition: { flag: { name: 'backups', equals: true } },
      scheduledTime: '2030-01-01T08:15:00Z',
    });
  });

  it('starts the state machine straight from a Scheduler schedule without condition (StartExecution templated target)', () => {
    built.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'at(2030-01-01T09:00:00)',
      ScheduleExpressionTimezone: 'America/New_York',
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^ordersStateMachine') }, Input: '{"launch":true}', RetryPolicy: RETRY, DeadLetterConfig: DLQ }),
    });
  });

  it('puts event rules on the project bus with the pattern exactly as planned ($or and operators included) and the input path', () => {
    const props = ruleProps('placed');
    expect(props.EventPattern).toEqual(ORDERS_PATTERN);
    expect(props.EventBusName).toEqual({ Ref: expect.stringMatching(/^TriggersBus/) });
    expect(props.State).toBe('ENABLED');
    expect(props.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: { Ref: expect.stringMatching(/^ordersStateMachine/) },
        RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersEventsRole/), 'Arn'] },
        InputPath: '$.detail',
        RetryPolicy: RETRY,
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersDeadLetterQueue/), 'Arn'] } },
      },
    ]);
  });

  it("uses the account's default bus when asked, with the plan's input transformer as it is", () => {
    const shipped = plan.triggers.find((t) => t.name === 'shipped') as EventTriggerPlan;
    const props = ruleProps('shipped');
    expect(props.EventBusName).toBe('default');
    expect(props.EventPattern).toEqual({ source: ['shop.shipping'] });
    expect(props.Targets[0].InputTransformer).toEqual({
      InputPathsMap: shipped.inputTransformer!.inputPathsMap,
      InputTemplate: shipped.inputTransformer!.inputTemplate,
    });
    expect(props.Targets[0].Arn).toEqual({ Ref: expect.stringMatching(/^ordersStateMachine/) });
  });

  it('sends a conditional event trigger on a named bus to the dispatcher with the whole event, as the dispatcher parses it', () => {
    const props = ruleProps('partner');
    expect(props.EventBusName).toBe('partners');
    const [target] = props.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TriggersDispatcher/), 'Arn'] });
    expect(target.InputTransformer.InputPathsMap).toBeUndefined();
    const sample = { 'id': 'e-1', 'time': '2030-01-01T10:00:00Z', 'source': 'partner.feed', 'detail-type': 'Feed', 'detail': { ok: true, id: 'x' } };
    const delivered = JSON.parse(target.InputTransformer.InputTemplate.replace('<aws.events.event.json>', JSON.stringify(sample)));
    expect(dispatcherPayload.parse(delivered)).toEqual({
      kind: 'event',
      trigger: 'partner',
      workflow: 'orders',
      event: sample,
      // The template's <$.detail.id> reaches the dispatcher as text, not as an EventBridge variable.
      eventInput: { kind: 'template', template: { id: '<$.detail.id>' } },
      condition: { match: { detail: { ok: [true] } } },
    });
    expect(target.InputTransformer.InputTemplate).not.toContain('<$.detail.id>');
  });

  it('gives every rule and schedule target a retry policy and the dead-letter queue', () => {
    for (const r of Object.values(built.template.findResources('AWS::Events::Rule'))) {
      for (const target of r.Properties.Targets) expect(target).toMatchObject({ RetryPolicy: RETRY, DeadLetterConfig: expect.anything() });
    }
    for (const s of Object.values(built.template.findResources('AWS::Scheduler::Schedule'))) {
      expect(s.Properties.Target).toMatchObject({ RetryPolicy: RETRY, DeadLetterConfig: expect.anything() });
    }
  });

  it('lets EventBridge invoke the dispatcher for the conditional rules and write dead letters for every rule', () => {
    const permissions = Object.values(built.template.findResources('AWS::Lambda::Permission')).filter((p) => p.Properties.Principal === 'events.amazonaws.com');
    // hourly and partner, plus the API's stepflow-* rules on the project bus
    expect(permissions).toHaveLength(3);
    const policy = Object.values(built.template.findResources('AWS::SQS::QueuePolicy'))[0].Properties.PolicyDocument.Statement;
    const eventsStatements = policy.filter((s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'events.amazonaws.com');
    expect(eventsStatements).toHaveLength(built.triggers[0].rules.size + 1);
  });

  it('lets the Scheduler role start only the state machines it targets directly and invoke the dispatcher', () => {
    const policies = Object.entries(built.template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('TriggersSchedulerRole'));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersDeadLetterQueue/), 'Arn'] } },
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersDispatcher/), 'Arn'] } },
        { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^ordersStateMachine/) } },
        // The data key StartExecution encrypts the input with (execution data encrypted with the project key).
        { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [expect.stringMatching(/LogsKey/), 'Arn'] } },
      ]),
    );
    expect(statements).toHaveLength(4);
  });

  it('deploys triggers disabled when task_scheduling turns cron or event triggers off, or the trigger itself is off', () => {
    const off = build([
      planWith('cron_off', [schedule('utc', 'rate(5 minutes)'), schedule('zoned', 'cron(0 8 * * ? *)', { timezone: 'Europe/Paris' }), event('e', { source: ['a'] })], {
        cronEnabled: false,
        eventEnabled: true,
      }),
      planWith('event_off', [event('e', { source: ['b'] }), schedule('utc', 'rate(5 minutes)', { enabled: false })], { cronEnabled: true, eventEnabled: false }),
    ]);
    const stateOf = (name: string, kind: 'rules' | 'schedules', trigger: string) => {
      const t = off.triggers.find((x) => x.node.id === `${name}Triggers`)!;
      const resource = t[kind].get(trigger)!;
      const cfn = (kind === 'rules' ? (resource as { node: { defaultChild: unknown } }).node.defaultChild : resource) as { state?: string };
      return cfn.state;
    };
    expect(stateOf('cron_off', 'rules', 'utc')).toBe('DISABLED');
    expect(stateOf('cron_off', 'schedules', 'zoned')).toBe('DISABLED');
    expect(stateOf('cron_off', 'rules', 'e')).toBe('ENABLED');
    expect(stateOf('event_off', 'rules', 'e')).toBe('DISABLED');
    expect(stateOf('event_off', 'rules', 'utc')).toBe('DISABLED');
  });

  it('targets the dispatcher only where a condition (or max_events) needs it', () => {
    const plain = planWith('plain', [schedule('utc', 'rate(5 minutes)'), schedule('zoned', 'cron(0 8 * * ? *)', { timezone: 'Asia/Tokyo' }), event('e', { source: ['a'] })]);
    const capped = { ...planWith('capped', [event('e', { source: ['c'] })]), scheduling: { ...ENABLED, maxEvents: 100 } };
    expect(WorkflowTriggers.needsDispatcher(plain)).toBe(false);
    expect(WorkflowTriggers.needsDispatcher(capped)).toBe(true);
    expect(WorkflowTriggers.needsDispatcher(capped, false)).toBe(false);

    // Without conditions the hub needs no dispatcher at all.
    const direct = build([plain], { dispatcher: false });
    expect(direct.template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('dispatches') } })).toEqual({});
    const arns = [
      ...Object.values(direct.template.findResources('AWS::Events::Rule')).flatMap((r) => r.Properties.Targets.map((t: { Arn: unknown }) => t.Arn)),
      ...Object.values(direct.template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties.Target.Arn),
    ];
    expect(arns).toHaveLength(3);
    for (const arn of arns) expect(arn).toEqual({ Ref: expect.stringMatching(/^plainStateMachine/) });

    // A capped workflow's event triggers go through the dispatcher, which counts starts per minute.
    const viaDispatcher = build([capped]);
    viaDispatcher.template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: DISPATCHER_ARN })] });

    expect(() => build([planWith('conditional', [schedule('s', 'rate(1 hour)', { condition: { flag: { name: 'f', equals: true } } })])], { dispatcher: false })).toThrow(
      /needs the dispatcher/,
    );
  });

});
