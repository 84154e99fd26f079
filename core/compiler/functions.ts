import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { HandlerRef, SchedulingLimits, TaskDefinition } from '../definition/model.ts';
import type { TaskFunctionPlan } from './plan.ts';

/**
 * A task without a timeout gets this one, written into its Task state (so AWS and the offline engine
 * time it out alike); its Lambda gets LAMBDA_TIMEOUT_MARGIN_SECONDS more. Lambda's own default is 3 s.
 */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 60;
export const DEFAULT_TASK_MEMORY_MB = 256;

/**
 * A stable id per handler, the same in every workflow of a project, so a handler shared by several
 * tasks or workflows becomes one Lambda: `functions/tasks/charge.ts#handler` → `charge`,
 * `lib/pay.ts#refund` → `pay_refund_<hash>`.
 */
export function handlerId(handler: HandlerRef, projectRoot: string): string {
  const path = relative(projectRoot, handler.file).replaceAll('\\', '/');
  const base = path.replace(/^.*\//, '').replace(/\.[cm]?[jt]sx?$/, '').replace(/[^A-Za-z0-9]/g, '_');
  const stem = handler.exportName === 'handler' ? base : `${base}_${handler.exportName}`;
  // Only a default handler (functions/tasks/<name>.ts#handler) goes without a hash: any other could
  // collide (charge.ts#refund and charge_refund.ts both read "charge_refund").
  const isDefault = /^functions\/tasks\/[^/]+\.ts$/.test(path) && handler.exportName === 'handler';
  if (isDefault) return stem;
  const hash = createHash('sha256').update(`${path}#${handler.exportName}`).digest('hex').slice(0, 6);
  return `${stem}_${hash}`;
}

/**
 * One entry per distinct handler used by `tasks`, covering the longest timeout and largest memory;
 * task_scheduling.resources sets the memory of tasks that do not set their own.
 */
export function taskFunctions(tasks: readonly TaskDefinition[], projectRoot: string, limits?: SchedulingLimits): TaskFunctionPlan[] {
  const byId = new Map<string, TaskFunctionPlan>();
  for (const t of tasks) {
    if (!t.handler) continue;
    const id = handlerId(t.handler, projectRoot);
    const previous = byId.get(id);
    const timeout = t.timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS;
    const memory = t.memoryMb ?? limits?.taskMemoryMb ?? DEFAULT_TASK_MEMORY_MB;
    byId.set(id, {
      placeholder: `TaskFunction_${id}`,
      id,
      handler: t.handler,
      timeoutSeconds: Math.max(previous?.timeoutSeconds ?? 0, timeout),
      memoryMb: Math.max(previous?.memoryMb ?? 0, memory),
      ...(limits?.taskEphemeralStorageMb ? { ephemeralStorageMb: limits.taskEphemeralStorageMb } : {}),
      tasks: [...(previous?.tasks ?? []), t.name],
    });
  }
  return [...byId.values()];
}
