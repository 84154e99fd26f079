import type { HandlerRef } from '../../core/definition/model.ts';
import type { WorkerPoolSettings } from '../../functions/pools/process-batch.ts';
import type { AwsSettings } from '../../functions/shared/config.ts';

/** Messages between the pool manager and its worker processes (Node IPC). */
export interface WorkerInit {
  readonly type: 'init';
  readonly handler: HandlerRef;
  readonly pool: WorkerPoolSettings;
  readonly table: string;
  readonly aws: AwsSettings;
}

export type ParentMessage =
  | WorkerInit
  | { readonly type: 'ping'; readonly id: number }
  | { readonly type: 'batch'; readonly id: number; readonly event: unknown };

export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly message: string }
  | { readonly type: 'pong'; readonly id: number }
  | { readonly type: 'result'; readonly id: number; readonly response?: unknown; readonly error?: string };
