import { defineTask } from '../task-runner/define-task.ts';
import { RetryableError } from '../../core/errors.ts';

interface ImportRequest {
  readonly source?: string;
  /** How many attempts fail before the source answers: shows retries at work. @default 0 */
  readonly failures?: number;
  readonly enrich?: boolean;
  readonly primaryDown?: boolean;
}

export const handler = defineTask<ImportRequest>(async ({ input, attempt }) => {
  const failures = input?.failures ?? 0;
  if (attempt < failures) throw new RetryableError(`source ${input?.source ?? 'demo'} unavailable (attempt ${attempt + 1} of ${failures + 1})`);
  return { source: input?.source ?? 'demo', records: [{ id: 1, name: 'ada' }, { id: 2, name: 'grace' }], attempts: attempt + 1 };
});
