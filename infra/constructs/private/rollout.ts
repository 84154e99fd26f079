/**
 * How a new state machine version takes the traffic of its alias: CloudFormation shifts it and rolls back
 * when a watched alarm goes off.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-stepfunctions-statemachinealias-deploymentpreference.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachinealias.html
 */
export interface Rollout {
  /** CANARY: `percentage` for `intervalMinutes`, then all; LINEAR: `percentage` more every `intervalMinutes`; ALL_AT_ONCE. */
  readonly type: 'CANARY' | 'LINEAR' | 'ALL_AT_ONCE';
  /** 1-99. @default 10 */
  readonly percentage?: number;
  /** 1-2100. @default 5 */
  readonly intervalMinutes?: number;
}

/** The alias every start goes through; executions keep the version they started on. */
export const LIVE_ALIAS = 'live';

export const DEFAULT_ROLLOUT: Rollout = { type: 'CANARY', percentage: 10, intervalMinutes: 5 };
