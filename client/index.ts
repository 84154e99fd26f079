export { StepflowApiError, WaitTimeoutError, WorkflowGraphError } from './errors.ts';
export {
  WorkflowEngine,
  type Execution,
  type ExecutionStatus,
  type ExecutionSummary,
  type ListOptions,
  type WaitOptions,
  type WorkflowEngineOptions,
  type WorkflowInfo,
} from './workflow-engine.ts';
export { GraphWorkflowEngine, type GraphEngineOptions, type GraphExecutionRequest, type GraphTask } from './graph-workflow-engine.ts';
export { SequentialWorkflowEngine } from './sequential-workflow-engine.ts';
export { ParallelWorkflowEngine } from './parallel-workflow-engine.ts';
export { ApiTransport, DEFAULT_API_URL, type ApiClientOptions } from './api-transport.ts';
export {
  CronTaskScheduler,
  type CronTaskSchedulerOptions,
  type JobDetails,
  type JobFire,
  type ScheduleCondition,
  type ScheduledJob,
  type ScheduleRequest,
} from './cron-task-scheduler.ts';
export {
  EventTaskScheduler,
  type EventInputSetting,
  type EventTaskSchedulerOptions,
  type OnOptions,
  type PublishedEvent,
} from './event-task-scheduler.ts';
export {
  ServiceOrchestrator,
  type DiscoveryType,
  type LoadBalancingAlgorithm,
  type OrchestrateRequest,
  type OrchestrationResult,
  type ServiceOrchestratorOptions,
} from './service-orchestrator.ts';
export { ProcessPoolManager, type CreateProcessRequest, type JobView, type PoolView, type ProcessPoolManagerOptions } from './process-pool-manager.ts';
export { ApprovalManager, type ApprovalManagerOptions, type ApprovalStatus, type ApprovalView, type DecisionOptions } from './approval-manager.ts';
