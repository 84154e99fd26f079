import { defineTask } from '../task-runner/define-task.ts';

export const handler = defineTask(async ({ results }) => {
  const enrichment = results.enrich_records as { error?: string } | undefined;
  const stored = (results.store_backup ?? results.store_primary) as { store: string; stored: number } | undefined;
  return {
    enriched: !!enrichment && !enrichment.error,
    store: stored?.store ?? 'none',
    stored: stored?.stored ?? 0,
  };
});
