import { ArnFormat, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { PROJECT_BUS_PLACEHOLDER } from '../../../core/compiler/states/callback.ts';
import { InvalidPlanError } from '../../../core/errors.ts';
import { acknowledge } from './nag.ts';

/**
 * What a workflow's callbacks via event and via sqs need: the queues the stack creates for them (each with
 * a dead-letter queue), the substitutions naming those queues and the project bus in the ASL, and the
 * grants Step Functions' integrations check (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html): events:PutEvents on each bus,
 * sqs:SendMessage on each queue, nothing more.
 */
export class CallbackChannels extends Construct {
  /** `${Placeholder}` → value, for the state machine's DefinitionSubstitutions. */
  readonly substitutions: Record<string, string> = {};
  /** The queues created for callbacks via sqs, by task state name. */
  readonly queues: Record<string, sqs.Queue> = {};
  private readonly busArns = new Set<string>();
  private readonly queueArns = new Set<string>();
  private projectBus?: events.IEventBus;
  private usesProjectBus = false;

  constructor(scope: Construct, id: string, private readonly plan: WorkflowPlan) {
    super(scope, id);
    const stack = Stack.of(this);
    for (const [stateName, state] of Object.entries(plan.taskStates)) {
      if (state.channel?.kind === 'event') {
        if (state.channel.bus === undefined) {
          this.usesProjectBus = true;
          continue;
        }
        const bus = state.channel.bus;
        this.busArns.add(bus.startsWith('arn:') ? bus : stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: bus, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }));
      } else if (state.channel?.kind === 'queue') {
        if (state.channel.queue) {
          this.queueArns.add(state.channel.queue.arn);
          continue;
        }
        const deadLetters = new sqs.Queue(this, `${state.task}DeadLetters`, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
        acknowledge(deadLetters, 'Serverless-SQSRedrivePolicy', `This queue is itself the dead-letter queue of callback task ${state.task}'s queue.`);
        acknowledge(deadLetters, 'AwsSolutions-SQS3', `This queue is itself the dead-letter queue of callback task ${state.task}'s queue.`);
        const queue = new sqs.Queue(this, `${state.task}Queue`, {
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          // A consumer that fails a message this often will not answer its token: the task times out, and the message waits here.
          deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
        });
        this.queues[stateName] = queue;
        this.queueArns.add(queue.queueArn);
        this.substitutions[state.placeholder] = queue.queueUrl;
      }
    }
    if (this.usesProjectBus) {
      this.substitutions[PROJECT_BUS_PLACEHOLDER] = Lazy.string({ produce: () => this.requireProjectBus().eventBusName });
      this.busArns.add(Lazy.string({ produce: () => this.requireProjectBus().eventBusArn }));
    }
  }

  /** Where callbacks via event without `bus` put their event (StepflowStack passes its TriggerHub's bus). */
  useProjectBus(bus: events.IEventBus): void {
    this.projectBus = bus;
  }

  /** The state machine's grants: PutEvents on each bus, SendMessage on each queue. */
  grantTo(role: iam.IGrantable): void {
    if (this.busArns.size > 0) role.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [...this.busArns] }));
    if (this.queueArns.size > 0) role.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [...this.queueArns] }));
  }

  private requireProjectBus(): events.IEventBus {
    if (!this.projectBus) {
      throw new InvalidPlanError(`Workflow "${this.plan.name}": a callback via event without event.bus puts its event on the project bus, which only a StepflowStack has; give event.bus, or call useProjectBus`);
    }
    return this.projectBus;
  }
}
