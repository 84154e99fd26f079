import { StepflowError } from '../../core/errors.ts';
import { defineTask } from '../task-runner/define-task.ts';

export class PrimaryStoreDown extends StepflowError {
  override readonly name = 'PrimaryStoreDown';
}

const count = (results: Record<string, unknown>) => (results.fetch_records as { records: unknown[] }).records.length;

export const handler = defineTask<{ primaryDown?: boolean }>(async ({ input, results }) => {
  if (input?.primaryDown) throw new PrimaryStoreDown('primary store is not accepting writes');
  return { store: 'primary', stored: count(results) };
});

/** Runs instead of the primary store when it fails (on_failure: store_backup). */
export const backup = defineTask(async ({ results }) => ({ store: 'backup', stored: count(results) }));
