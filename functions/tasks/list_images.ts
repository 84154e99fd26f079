import { defineTask } from '../task-runner/define-task.ts';

interface ListRequest {
  readonly image?: string;
}

export const handler = defineTask<ListRequest>(async ({ input }) => ({ images: [input?.image ?? 'demo.jpg'] }));
