/**
 * AWS limits the code relies on, declared once. Step Functions quotas:
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */

/** Longest state name ASL allows (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html). */
export const MAX_STATE_NAME_LENGTH = 80;

/**
 * Longest state machine or execution name: 1-80 characters
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name).
 */
export const MAX_STATE_MACHINE_NAME_LENGTH = 80;

/**
 * Intrinsic functions one field may hold. AWS's example of the limit counts every call in the field
 * ("nine nested intrinsic functions" in an expression five deep), so the compiler counts calls, which
 * also bounds the depth (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
 */
export const MAX_NESTED_INTRINSICS = 10;

/** Largest state machine definition: 1 MB of JSON (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
export const MAX_DEFINITION_BYTES = 1024 * 1024;

/** Most events one Standard execution's history may hold (same page: "Maximum execution history size"). */
export const MAX_HISTORY_EVENTS = 25_000;

/** Largest execution input, task result or state payload: 256 KiB of UTF-8. Request bodies above it are refused before parsing. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Longest an Express workflow may run (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html). */
export const MAX_EXPRESS_DURATION_SECONDS = 300;

/** Longest a Standard workflow may run: one year. */
export const MAX_STANDARD_DURATION_SECONDS = 365 * 24 * 3600;

/**
 * Lambda's ceiling on one invocation, 15 minutes (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
 * a Task state calling Lambda cannot usefully wait longer.
 */
export const MAX_LAMBDA_TIMEOUT_SECONDS = 900;

/**
 * Seconds a task's Lambda timeout exceeds its Task state's TimeoutSeconds, so a slow task fails the same
 * way on AWS and offline: as States.Timeout from the state, never as the Lambda's own Sandbox.Timedout
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-state-fields).
 */
export const LAMBDA_TIMEOUT_MARGIN_SECONDS = 10;
