import { Annotations, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { runtimeWorkflowEntry } from '../../../core/compiler/registry.ts';
import type { BundledEntry } from '../../../core/contracts/workflow-entry.ts';
import type { Workflow } from '../workflow.ts';

/**
 * The expression esbuild replaces with the registry when it bundles a Lambda (`--define`); read by
 * `functions/shared/bundled-registry.ts`. Offline nothing defines it and the runtime reads
 * `STEPFLOW_WORKFLOWS` instead.
 */
export const REGISTRY_DEFINE = 'globalThis.__STEPFLOW_REGISTRY__';

/** Environment variable holding `arn:<partition>:states:<region>:<account>:stateMachine:`. */
export const ARN_PREFIX_VARIABLE = 'STEPFLOW_STATE_MACHINE_ARN_PREFIX';

/**
 * esbuild receives the registry as one command-line argument; Linux caps one argument at 128 KiB
 * (MAX_ARG_STRLEN), so stay well below.
 */
const REGISTRY_SIZE_LIMIT = 96 * 1024;

export interface WorkflowRegistry {
  readonly workflows: Readonly<Record<string, BundledEntry>>;
}

/** The registry of `workflows`: plain data, no tokens (state machine names are explicit). */
export function workflowRegistry(workflows: readonly Workflow[]): WorkflowRegistry {
  const entries: Record<string, BundledEntry> = {};
  for (const workflow of workflows) {
    entries[workflow.plan.name] = {
      stateMachineName: workflow.stateMachineName,
      ...runtimeWorkflowEntry(workflow.plan),
      ...(workflow.startQualifier ? { startQualifier: workflow.startQualifier } : {}),
    };
  }
  return { workflows: entries };
}

/**
 * What a Lambda needs to know the workflows without `STEPFLOW_WORKFLOWS` (whose ARNs and schemas outgrow
 * Lambda's 4 KB environment): the registry compiled into the bundle, and the one small token the ARNs
 * need at run time.
 */
export function registryDelivery(scope: IConstruct, workflows: readonly Workflow[]): { define: Record<string, string>; environment: Record<string, string> } {
  const text = JSON.stringify(workflowRegistry(workflows));
  if (text.length > REGISTRY_SIZE_LIMIT) {
    Annotations.of(scope).addWarningV2(
      'stepflow:registrySize',
      `the workflow registry is ${text.length} bytes; esbuild takes it as one command-line argument, which Linux caps at 128 KiB. ` +
        'Split the workflows over several stacks or shorten input schemas.',
    );
  }
  return { define: { [REGISTRY_DEFINE]: text }, environment: { [ARN_PREFIX_VARIABLE]: stateMachineArnPrefix(scope) } };
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:` of the scope's stack. */
export function stateMachineArnPrefix(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:`;
}
