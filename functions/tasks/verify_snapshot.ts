import { defineTask } from '../task-runner/define-task.ts';

export const handler = defineTask(async ({ results }) => {
  const snapshot = results.take_snapshot as { snapshotId: string };
  return { snapshotId: snapshot.snapshotId, verified: true };
});
