import { StepflowError } from '../../core/errors.ts';
import { defineTask } from '../task-runner/define-task.ts';

export class EnrichmentUnavailable extends StepflowError {
  override readonly name = 'EnrichmentUnavailable';
}

export const handler = defineTask<{ enrich?: boolean }>(async ({ input, results }) => {
  if (input?.enrich === false) throw new EnrichmentUnavailable('the enrichment service is switched off for this import');
  const { records } = results.fetch_records as { records: { id: number; name: string }[] };
  return { records: records.map((r) => ({ ...r, initials: r.name.slice(0, 1).toUpperCase() })) };
});
