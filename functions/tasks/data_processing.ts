import { defineTask } from '../task-runner/define-task.ts';

/** The specification's example task: processes whatever data the execution was started with. */
export const handler = defineTask<{ items?: unknown[] }>(async ({ input }) => {
  const items = Array.isArray(input?.items) ? input.items : [];
  return { processed: items.length, at: new Date().toISOString() };
});
