import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { AslState, StateMachineDefinition } from '../../../core/asl/index.ts';
import { acknowledgeWildcardResource } from './nag.ts';

/** True when some Map state of the machine (at any depth) runs in DISTRIBUTED mode. */
export function hasDistributedMap(asl: Pick<StateMachineDefinition, 'States'>): boolean {
  const visit = (states: Record<string, AslState>): boolean => Object.values(states).some((state) => {
    if (state.Type === 'Parallel') return state.Branches.some((b) => visit(b.States));
    if (state.Type !== 'Map') return false;
    const processor = state.ItemProcessor ?? state.Iterator;
    return state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED' || (processor ? visit(processor.States) : false);
  });
  return visit(asl.States);
}

/**
 * What a Distributed Map needs of its state machine's role: to start its child executions (of its own
 * state machine), to describe and stop them, and to redrive its Map Runs
 * (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html). ARNs are built
 * from the name, known at synth time, so the role does not depend on the state machine it belongs to.
 */
export function grantDistributedMap(stateMachine: sfn.StateMachine, stateMachineName: string): void {
  const stack = Stack.of(stateMachine);
  const arn = (resource: string, resourceName: string) => stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const machine = arn('stateMachine', stateMachineName);
  const children = arn('execution', `${stateMachineName}/*`);
  const mapRuns = arn('mapRun', `${stateMachineName}/*:*`);
  stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machine] }));
  stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [children] }));
  stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:RedriveExecution'], resources: [mapRuns] }));
  const why = 'A Distributed Map names its child executions and Map Runs at run time (<map run label>/<id>); ' +
    'the wildcard stays within this state machine\'s own executions and Map Runs.';
  acknowledgeWildcardResource(stateMachine.role, children, why);
  acknowledgeWildcardResource(stateMachine.role, mapRuns, why);
}

/** The S3 objects the machine's Distributed Maps read their items from (ItemReader with `s3:getObject`), at any depth. */
export function itemReaderObjects(asl: Pick<StateMachineDefinition, 'States'>): { bucket: string; key: string }[] {
  const found: { bucket: string; key: string }[] = [];
  const visit = (states: Record<string, AslState>): void => {
    for (const state of Object.values(states)) {
      if (state.Type === 'Parallel') state.Branches.forEach((b) => visit(b.States));
      if (state.Type !== 'Map') continue;
      const reader = state.ItemReader as { Resource?: string; Parameters?: { Bucket?: unknown; Key?: unknown } } | undefined;
      const { Bucket, Key } = reader?.Parameters ?? {};
      if (reader?.Resource === 'arn:aws:states:::s3:getObject' && typeof Bucket === 'string' && typeof Key === 'string') found.push({ bucket: Bucket, key: Key });
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) visit(processor.States);
    }
  };
  visit(asl.States);
  return found;
}

/**
 * An ItemReader reading one object needs s3:GetObject on that object, and nothing else
 * (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html): the grant names
 * each object, so the role reads no other object of the bucket.
 */
export function grantItemReaders(stateMachine: sfn.StateMachine, objects: readonly { bucket: string; key: string }[]): void {
  if (!objects.length) return;
  const partition = Stack.of(stateMachine).partition;
  const resources = [...new Set(objects.map((o) => `arn:${partition}:s3:::${o.bucket}/${o.key}`))];
  stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources }));
}
