/**
 * The public API of stepflow's core (`import … from 'stepflow/core'`): the definition language, the
 * compiler and its plan, scheduling semantics, the wire contracts and the errors. Pure: no I/O, no AWS
 * library. Reading definition files from disk is `stepflow/project`'s job.
 */

// The definition language
export { parseDefinition, type LoadResult } from './definition/parse.ts';
export type { DefinitionHost } from './definition/host.ts';
export {
  DEFAULT_BACKOFF,
  DEFAULT_SERVICE_TIMEOUT_SECONDS,
  type BackoffSettings,
  type DagStrategy,
  type EngineSettings,
  type EventInput,
  type EventTrigger,
  type FailurePolicy,
  type HandlerRef,
  type ScheduleTrigger,
  type SchedulingLimits,
  type ServiceDefinition,
  type TaskDefinition,
  type TriggerCondition,
  type TriggerDefinition,
  type WorkflowDefinition,
} from './definition/model.ts';
export { formatDiagnostic, formatPath, hasErrors, type DefinitionPath, type Diagnostic, type Severity } from './definition/diagnostics.ts';
export { formatDuration, parseDuration } from './definition/duration.ts';
export { definitionJsonSchema } from './definition/json-schema.ts';

// The compiler and its plan
export { checkWorkflow, compileWorkflow, type CompileOptions } from './compiler/compile.ts';
export {
  COORDINATOR_PLACEHOLDER,
  SERVICE_INVOKER_PLACEHOLDER,
  type StrategyPlan,
  type AslState,
  type ServiceRef,
  type StateMachineDefinition,
  type TaskFunctionPlan,
  type TaskStatePlan,
  type WorkflowPlan,
} from './compiler/plan.ts';
export { workflowMermaid } from './compiler/mermaid.ts';
export { runtimeWorkflowEntry } from './compiler/registry.ts';

// Scheduling semantics: AWS cron / rate / at, event patterns
export {
  isValidTimeZone,
  nextFireTimes,
  parseSchedule,
  validateSchedule,
  type AtSchedule,
  type CronSchedule,
  type NextFireTimesOptions,
  type ParseScheduleOptions,
  type ParseScheduleResult,
  type RateSchedule,
  type Schedule,
  type ScheduleProblem,
} from './scheduling/aws-cron.ts';
export { toAwsExpression } from './scheduling/aws-expression.ts';
export {
  compileEventPattern,
  matchesEventPattern,
  validateEventPattern,
  type EventMatcher,
  type EventPatternInput,
  type PatternProblem,
} from './scheduling/event-pattern.ts';
export { applyEventInput } from './scheduling/event-input.ts';
export { InvalidEventPatternError, InvalidScheduleError, SchedulingError } from './scheduling/errors.ts';

// Wire contracts shared by the handlers, the CDK constructs, the offline stack and the client
export { EXECUTION_STATUSES, TERMINAL_STATUSES, isTerminal, type ExecutionStatus } from './contracts/execution-status.ts';
export { taskEventSchema, type ServiceTaskEvent, type TaskEvent } from './contracts/task-event.ts';
export {
  coordinatorRequestSchema,
  doneRequestSchema,
  waitRequestSchema,
  type CoordinatorRequest,
  type DoneRequest,
  type WaitRequest,
} from './contracts/coordinator.ts';
export {
  STATUS_CHANGE_DETAIL_TYPE,
  statusChangeEventSchema,
  type StatusChangeDetail,
  type StatusChangeEvent,
} from './contracts/status-change-event.ts';
export {
  bundledEntrySchema,
  workflowConfigSchema,
  workflowEntrySchema,
  type BundledEntry,
  type WorkflowConfig,
  type WorkflowEntry,
} from './contracts/workflow-entry.ts';
export type { FireOutcome, FireRecord, ScheduleOrigin, ScheduleRecord, ScheduleView } from './contracts/schedule-record.ts';
export type { ExecutionView } from './contracts/execution-view.ts';
export type { TaskState, TaskStatus } from './contracts/task-state.ts';
export type { FlagValue } from './contracts/trigger-condition.ts';
export * from './asl/limits.ts';
export type * from './asl/index.ts';
export { BY_STATUS_INDEX, BY_WORKFLOW_INDEX, LISTED_ATTRIBUTES, TABLE_KEYS } from './contracts/table-keys.ts';

// Errors: their names are what ASL `ErrorEquals` matches
export * from './errors.ts';
