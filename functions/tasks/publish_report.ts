import { defineTask } from '../task-runner/define-task.ts';

export const handler = defineTask(async ({ results }) => {
  const regions = results.by_region as Record<string, number>;
  const total = Object.values(regions).reduce((sum, v) => sum + v, 0);
  return {
    total,
    topRegion: Object.entries(regions).sort((a, b) => b[1] - a[1])[0]?.[0],
    sections: ['by_region', 'by_product', 'by_day'].filter((k) => k in results),
  };
});
