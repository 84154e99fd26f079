import { defineTask } from '../task-runner/define-task.ts';

/** Names the snapshot after the execution, so a retried attempt produces the same snapshot id. */
export const handler = defineTask<{ scope?: string }>(async ({ input, execution }) => ({
  snapshotId: `snap-${execution.split(':').pop()}`,
  scope: input?.scope ?? 'full',
  takenAt: new Date().toISOString(),
}));
