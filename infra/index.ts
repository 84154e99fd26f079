/** Public constructs of stepflow, for CDK apps that deploy workflows their own way. */
export { Workflow, type WorkflowProps } from './constructs/workflow.ts';
export { TaskFunctions, type TaskFunctionsProps } from './constructs/task-functions.ts';
export { StateTable, type StateTableProps } from './constructs/state-table.ts';
export { ExecutionRecorder, EXECUTION_STATUS_CHANGE, type ExecutionRecorderProps } from './constructs/execution-recorder.ts';
export { WorkflowApi, type WorkflowApiProps } from './constructs/workflow-api.ts';
export { ServiceInvoker, type ServiceInvokerProps } from './constructs/service-invoker.ts';
export { TriggerHub, RUNTIME_RULE_PREFIX, type TriggerHubProps } from './constructs/trigger-hub.ts';
export { WorkflowTriggers, type WorkflowTriggersProps } from './constructs/workflow-triggers.ts';
export { ScheduleDispatcher, type ScheduleDispatcherProps } from './constructs/schedule-dispatcher.ts';
export { StepflowStack, type StepflowHandlers, type StepflowStackProps } from './stacks/stepflow-stack.ts';
export type { WorkflowPlan } from '../core/compiler/plan.ts';
