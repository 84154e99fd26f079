import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleIdFor } from '../../core/contracts/schedule-id.ts';
import { eventRuleInputTransformer, scheduleRuleInputTransformer, schedulerTargetInput, type ScheduleTarget } from '../../core/contracts/target-input.ts';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import type { EventTriggerPlan, ScheduleTriggerPlan } from '../../core/compiler/triggers.ts';
import { UniqueIds } from './private/ids.ts';
import { constantInput, pathInput, transformerInput } from './private/rule-input.ts';
import type { TriggerHub } from './trigger-hub.ts';
import type { Workflow } from './workflow.ts';

/** Scheduler's RetryPolicy accepts MaximumEventAgeInSeconds from 60 to 86400. */
const SCHEDULER_EVENT_AGE = { min: 60, max: 86_400 };

export interface WorkflowTriggersProps {
  readonly workflow: Workflow;
  /** The bus, roles, schedule group, dead-letter queue and dispatcher the triggers use. */
  readonly hub: TriggerHub;
  /**
   * Send the workflow's event triggers through the dispatcher when its `task_scheduling.event.max_events`
   * is set, since only the dispatcher counts starts per minute; a direct rule → state machine target
   * cannot be capped.
   * @default true
   */
  readonly enforceMaxEvents?: boolean;
  /**
   * The rules' dead-letter queue as this stack sees it: an import by ARN in a shard stack, whose rules the
   * queue's own stack allows by name (a policy naming each rule would make the hub's stack depend on the shard).
   * @default hub.deadLetterQueue
   */
  readonly ruleDeadLetterQueue?: sqs.IQueue;
}

/**
 * The triggers of one workflow on AWS. Schedules in UTC become EventBridge rules, schedules in another time
 * zone and one-time `at()` schedules become EventBridge Scheduler schedules; event triggers become rules on
 * the project bus (or the bus they name). A trigger without condition targets the state machine itself;
 * one with a condition targets the dispatcher, which checks it when the trigger fires. Every target retries
 * and ends in the hub's dead-letter queue. `task_scheduling.cron.enabled: false` / `event.enabled: false`
 * deploy the triggers disabled.
 */
export class WorkflowTriggers extends Construct {
  private readonly ruleDeadLetterQueue: sqs.IQueue;
  /** Whether any trigger of `plan` targets the dispatcher: one with a condition, or a capped event trigger. */
  static needsDispatcher(plan: WorkflowPlan, enforceMaxEvents = true): boolean {
    return plan.triggers.some((t) => t.condition !== undefined || (t.kind === 'event' && capsEvents(plan, enforceMaxEvents)));
  }

  /** EventBridge rules, by trigger name. */
  readonly rules: ReadonlyMap<string, events.Rule>;
  /** Scheduler schedules, by trigger name. */
  readonly schedules: ReadonlyMap<string, scheduler.CfnSchedule>;

  constructor(scope: Construct, id: string, props: WorkflowTriggersProps) {
    super(scope, id);
    this.ruleDeadLetterQueue = props.ruleDeadLetterQueue ?? props.hub.deadLetterQueue;
    const rules = new Map<string, events.Rule>();
    const schedules = new Map<string, scheduler.CfnSchedule>();
    const ids = new UniqueIds();
    const { plan } = props.workflow;
    for (const trigger of plan.triggers) {
      const constructId = ids.next(trigger.name);
      if (trigger.kind === 'event') {
        rules.set(trigger.name, this.eventRule(constructId, trigger, props));
      } else if (trigger.via === 'rule') {
        rules.set(trigger.name, this.scheduleRule(constructId, trigger, props));
      } else {
        schedules.set(trigger.name, this.schedule(constructId, trigger, props));
      }
    }
    this.rules = rules;
    this.schedules = schedules;
  }

  /** A UTC cron or rate: EventBridge rule (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html). */
  /** A rule target starting the state machine directly, with the data key its role needs (encrypted execution data). */
  private startTarget(workflow: Workflow, hub: TriggerHub, props: targets.SfnStateMachineProps): targets.SfnStateMachine {
    workflow.grantExecutionDataKey(hub.eventsRole);
    return new targets.SfnStateMachine(workflow.startTarget, props);
  }

  private scheduleRule(id: string, trigger: ScheduleTriggerPlan, { workflow, hub }: WorkflowTriggersProps): events.Rule {
    const retry = { deadLetterQueue: this.ruleDeadLetterQueue, retryAttempts: hub.retryAttempts, maxEventAge: hub.maxEventAge };
    const target = trigger.condition
      ? new targets.LambdaFunction(hub.dispatcherFunction, {
          event: fromTransformer(scheduleRuleInputTransformer(scheduleTarget(workflow, trigger))),
          ...retry,
        })
      : this.startTarget(workflow, hub, { input: constantInput(trigger.input), role: hub.eventsRole, ...retry });
    return new events.Rule(this, id, {
      description: description(workflow, trigger.name, trigger.expression),
      schedule: events.Schedule.expression(trigger.awsExpression),
      enabled: trigger.enabled && workflow.plan.scheduling.cronEnabled,
      targets: [target],
    });
  }

  /**
   * A time zone or a one-time `at()`: EventBridge Scheduler, FlexibleTimeWindow OFF. Without condition the
   * target is the Step Functions StartExecution templated target (the state machine ARN, Input = the
   * execution input: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html).
   */
  private schedule(id: string, trigger: ScheduleTriggerPlan, { workflow, hub }: WorkflowTriggersProps): scheduler.CfnSchedule {
    let arn: string;
    let input: string;
    if (trigger.condition) {
      arn = hub.dispatcherFunction.functionArn;
      input = schedulerTargetInput(scheduleTarget(workflow, trigger));
    } else {
      arn = workflow.startArn;
      input = JSON.stringify(trigger.input ?? {});
      workflow.grantStartExecution(hub.schedulerRole);
    }
    const seconds = Math.min(Math.max(hub.maxEventAge.toSeconds(), SCHEDULER_EVENT_AGE.min), SCHEDULER_EVENT_AGE.max);
    return new scheduler.CfnSchedule(this, id, {
      description: description(workflow, trigger.name, trigger.expression),
      groupName: hub.scheduleGroupName,
      scheduleExpression: trigger.awsExpression,
      scheduleExpressionTimezone: trigger.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: trigger.enabled && workflow.plan.scheduling.cronEnabled ? 'ENABLED' : 'DISABLED',
      target: {
        arn,
        roleArn: hub.schedulerRole.roleArn,
        input,
        retryPolicy: { maximumRetryAttempts: hub.retryAttempts, maximumEventAgeInSeconds: seconds },
        deadLetterConfig: { arn: hub.deadLetterQueue.queueArn },
      },
    });
  }

  /** An event pattern: a rule on the project bus, the default bus or a named one. */
  private eventRule(id: string, trigger: EventTriggerPlan, { workflow, hub, enforceMaxEvents }: WorkflowTriggersProps): events.Rule {
    const retry = { deadLetterQueue: this.ruleDeadLetterQueue, retryAttempts: hub.retryAttempts, maxEventAge: hub.maxEventAge };
    const target =
      trigger.condition || capsEvents(workflow.plan, enforceMaxEvents ?? true)
        ? new targets.LambdaFunction(hub.dispatcherFunction, {
            event: fromTransformer(
              eventRuleInputTransformer({
                trigger: trigger.name,
                workflow: workflow.plan.name,
                ...(trigger.input.kind !== 'event' ? { eventInput: trigger.input } : {}),
                ...(trigger.condition ? { condition: trigger.condition } : {}),
              }),
            ),
            ...retry,
          })
        : this.startTarget(workflow, hub, { input: eventInput(trigger), role: hub.eventsRole, ...retry });
    return new events.Rule(this, id, {
      description: description(workflow, trigger.name, 'event pattern'),
      eventBus: this.bus(`${id}Bus`, trigger.bus, hub),
      // The L2 copies the pattern as given (only a `detailType` key is renamed): operators and `$or` reach
      // CloudFormation as written. A copy, so nothing merged later touches the plan.
      eventPattern: structuredClone(trigger.pattern) as events.EventPattern,
      enabled: trigger.enabled && workflow.plan.scheduling.eventEnabled,
      targets: [target],
    });
  }

  private bus(id: string, name: string | undefined, hub: TriggerHub): events.IEventBus {
    if (name === undefined) return hub.eventBus;
    return events.EventBus.fromEventBusName(this, id, name);
  }
}

function capsEvents(plan: WorkflowPlan, enforceMaxEvents: boolean): boolean {
  return enforceMaxEvents && plan.scheduling.maxEvents !== undefined;
}

/** The execution input of an event trigger with a direct target: the event, a path in it, or a template. */
function eventInput(trigger: EventTriggerPlan): events.RuleTargetInput | undefined {
  if (trigger.inputPath !== undefined) return pathInput(trigger.inputPath);
  if (trigger.inputTransformer) return transformerInput(trigger.inputTransformer.inputPathsMap, trigger.inputTransformer.inputTemplate);
  return undefined;
}

function scheduleTarget(workflow: Workflow, trigger: ScheduleTriggerPlan): ScheduleTarget {
  return {
    scheduleId: scheduleIdFor(workflow.plan.name, trigger.name),
    workflow: workflow.plan.name,
    input: trigger.input ?? {},
    ...(trigger.condition ? { condition: trigger.condition } : {}),
  };
}

function fromTransformer(transformer: { InputPathsMap: Record<string, string>; InputTemplate: string }): events.RuleTargetInput {
  return transformerInput(transformer.InputPathsMap, transformer.InputTemplate);
}

function description(workflow: Workflow, trigger: string, what: string): string {
  const text = `stepflow: ${workflow.plan.name}.${trigger} (${what})`;
  return text.length <= 512 ? text : `${text.slice(0, 511)}…`;
}
