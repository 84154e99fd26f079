import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { SERVICE_KEYS } from '../../core/contracts/table-keys.ts';
import { probedServices } from '../../functions/orchestration/health-probes.ts';
import { StepflowFunction } from './private/bundling.ts';
import { acknowledge, acknowledgeStarOnlyActions } from './private/nag.ts';
import { projectFile } from './private/project.ts';
import type { StateTable } from './state-table.ts';

export interface ServiceOrchestrationProps {
  /** Where the registry, instance health, breakers and metrics live (SERVICE_KEYS items). */
  readonly table: StateTable;
  /** The service invoker: it reads and writes those items, and asks Cloud Map when a service uses it. */
  readonly invoker: lambda.Function;
  readonly invokerRole: iam.IRole;
  readonly plans: readonly WorkflowPlan[];
  /** @default functions/orchestration/probe-handler.ts of the stepflow project */
  readonly probeEntry?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log group encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Service orchestration on AWS: the invoker keeps the registry, health and circuit breakers in the
 * state table (allowed only on the service items' partition keys), a probe Lambda run by an EventBridge
 * rule checks instances' health, and services with `discovery: cloudmap` may be discovered in their
 * namespaces only.
 */
export class ServiceOrchestration extends Construct {
  /** Whether any plan calls an orchestrated service. */
  static isNeeded(plans: readonly WorkflowPlan[]): boolean {
    return plans.some((plan) => plan.services.some((s) => s.definition?.orchestration));
  }

  /** Cloud Map namespaces the plans' services are discovered in. */
  static cloudMapNamespaces(plans: readonly WorkflowPlan[]): string[] {
    return [...new Set(plans.flatMap((p) => p.services.flatMap((s) => (s.definition?.orchestration?.cloudmap ? [s.definition.orchestration.cloudmap.namespace] : []))))].sort();
  }

  readonly probe?: StepflowFunction;
  readonly probeRule?: events.Rule;

  constructor(scope: Construct, id: string, props: ServiceOrchestrationProps) {
    super(scope, id);
    props.invoker.addEnvironment('STEPFLOW_TABLE', props.table.tableName);
    this.grantServiceItems(props.table, props.invokerRole);
    const namespaces = ServiceOrchestration.cloudMapNamespaces(props.plans);
    if (namespaces.length) this.grantDiscovery(props.invokerRole, namespaces);

    const probed = probedServices(props.plans.flatMap((p) => p.services));
    if (probed.size === 0) return;
    this.probe = new StepflowFunction(this, 'Probe', {
      entry: props.probeEntry ?? projectFile('functions/orchestration/probe-handler.ts'),
      description: 'stepflow: probes the health of service instances',
      timeout: Duration.seconds(60),
      memorySize: 256,
      environment: { STEPFLOW_TABLE: props.table.tableName, STEPFLOW_PROBED_SERVICES: JSON.stringify(Object.fromEntries(probed)) },
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
    });
    this.grantServiceItems(props.table, this.probe.role);
    if (namespaces.length) this.grantDiscovery(this.probe.role, namespaces);
    // A rule's rate is at least one minute (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
    // shorter health_check intervals are probed every minute on AWS, between which call outcomes (passive health) still count.
    const shortest = Math.max(60, Math.min(...[...probed.values()].map((d) => d.orchestration!.healthCheck.intervalSeconds)));
    this.probeRule = new events.Rule(this, 'ProbeSchedule', {
      description: 'stepflow: health probes of service instances',
      schedule: events.Schedule.rate(Duration.minutes(Math.ceil(shortest / 60))),
      targets: [new targets.LambdaFunction(this.probe.function, { retryAttempts: 0 })],
    });
    // Missed probes are not worth redelivering: the next round comes within minutes.
    const stale = 'Run by a schedule every few minutes; a failed round is superseded by the next one, so a dead-letter queue would only hold stale probes.';
    acknowledge(this.probe.function, 'Serverless-LambdaDLQ', stale);
    acknowledge(this.probeRule, 'Serverless-EventBusDLQ', stale);
  }

  /**
   * Items of the service partitions only (`dynamodb:LeadingKeys`,
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
   */
  private grantServiceItems(table: StateTable, role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      // What the invoker and the probe send: registry and health reads, breaker and metric writes (no deletes: those are the API's).
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [SERVICE_KEYS.partition('*'), SERVICE_KEYS.catalogue] } },
    }));
    table.grantKey(role);
  }

  /**
   * DiscoverInstances in the named namespaces: it has no resource-level permission, so Resource is "*"
   * narrowed by the `servicediscovery:NamespaceName` condition
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudmap.html).
   */
  private grantDiscovery(role: iam.IRole, namespaces: readonly string[]): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['servicediscovery:DiscoverInstances'],
      resources: ['*'],
      conditions: { StringEquals: { 'servicediscovery:NamespaceName': [...namespaces] } },
    }));
    const reason = 'servicediscovery:DiscoverInstances supports no resource-level permission; the statement is limited to the definitions\' namespaces by the servicediscovery:NamespaceName condition.';
    acknowledgeStarOnlyActions(role, reason);
  }
}
