import { defineTask } from '../task-runner/define-task.ts';

interface ListRequest {
  readonly images?: string[];
  readonly image?: string;
}

/** The images to make thumbnails of: the input's `images` (or its one `image`), else a small sample gallery. */
export const handler = defineTask<ListRequest | undefined>(async ({ input }) => {
  const keys = input?.images ?? (input?.image ? [input.image] : ['beach.jpg', 'forest.jpg', 'harbour.jpg', 'mountain.jpg', 'city.jpg']);
  return { keys };
});
