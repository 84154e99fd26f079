import { defineTask } from '../task-runner/define-task.ts';

/** Publishes the thumbnails made by the fan-out stage, counting the images that failed. */
export const handler = defineTask(async ({ results }) => {
  const stage = results.thumbnails as { items: ({ thumbnail: string } | null)[]; failed: number };
  const thumbnails = stage.items.filter((t): t is { thumbnail: string } => t !== null).map((t) => t.thumbnail);
  return { published: thumbnails.length, skipped: stage.failed, thumbnails };
});
