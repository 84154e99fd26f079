import { defineTask } from '../task-runner/define-task.ts';

/** The images to make thumbnails of: the input's `images`, or a small sample gallery. */
export const handler = defineTask<{ images?: string[] } | undefined>(async ({ input }) => {
  const keys = input?.images ?? ['beach.jpg', 'forest.jpg', 'harbour.jpg', 'mountain.jpg', 'city.jpg'];
  return { keys };
});
