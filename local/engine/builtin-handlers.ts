import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvalsFunction } from '../../core/compiler/states/approval.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { ApprovalStore } from '../../functions/approvals/approval-store.ts';
import { createApprovals } from '../../functions/approvals/approvals.ts';
import { createCoordinator } from '../../functions/coordinator/handler.ts';
import { MemoryCoordinatorStore } from '../../functions/coordinator/memory-coordinator-store.ts';
import { createServiceInvoker } from '../../functions/service-invoker/handler.ts';
import type { Clock } from '../clock.ts';
import type { LocalEngineProps } from './engine-options.ts';
import type { LambdaHandler } from './handler-loader.ts';
import { POOL_SENDER, poolSenderHandler } from './pool-sender.ts';
import { CALLBACK_SENDER, callbackSenderHandler } from './callback-sender.ts';
import { S3_ITEM_READER, s3ItemReaderHandler } from './offline-item-reader.ts';
import { handlerKey } from './task-invoker.ts';

export const DEFAULT_SERVICE_INVOKER: HandlerRef = {
  // `.ts` beside the sources, `.js` in the built package (dist/).
  file: fileURLToPath(new URL(`../../functions/service-invoker/handler${extname(import.meta.url)}`, import.meta.url)),
  exportName: 'handler',
};

export const COORDINATOR: HandlerRef = {
  file: fileURLToPath(new URL(`../../functions/coordinator/handler${extname(import.meta.url)}`, import.meta.url)),
  exportName: 'handler',
};

/** What the engine's own handlers need of it. */
export interface BuiltinHandlerDeps {
  readonly props: LocalEngineProps;
  readonly clock: Clock;
  readonly approvalStore: ApprovalStore;
  /** Answers a task token with SendTaskSuccess (the coordinator releasing a gated task). */
  readonly releaseToken: (token: string, output: string) => 'sent' | 'gone';
}

/**
 * The handlers the engine serves itself, keyed as Task states name them: the service invoker, the pool
 * sender, the approvals function and the coordinator of gated workflows.
 */
export function builtinHandlers({ props, clock, approvalStore, releaseToken }: BuiltinHandlerDeps): Map<string, LambdaHandler> {
  return new Map<string, LambdaHandler>([
    [handlerKey(DEFAULT_SERVICE_INVOKER), createServiceInvoker({ env: props.serviceEnv ?? process.env, orchestration: props.serviceOrchestration })],
    [handlerKey(POOL_SENDER), poolSenderHandler(props.poolSender)],
    [handlerKey(CALLBACK_SENDER), callbackSenderHandler(props.callbackChannels, props.projectEventBus ?? 'stepflow')],
    // Distributed Maps' ItemReader objects, read from files under the data dir.
    [handlerKey(S3_ITEM_READER), s3ItemReaderHandler(props.s3Dir ?? join('.stepflow', 's3'))],
    // Approval tasks record their pending approvals in this store, as the deployed function does in the table.
    [handlerKey(approvalsFunction().handler), createApprovals({ store: approvalStore, clock: () => new Date(clock.now()) })],
    // The coordinator of gated workflows, releasing their tasks through this engine's task tokens.
    [handlerKey(COORDINATOR), createCoordinator({
      store: props.coordinatorStore ?? new MemoryCoordinatorStore(),
      tokens: { succeed: async (token, output) => releaseToken(token, output) },
      logger: () => {},
    })],
  ]);
}
