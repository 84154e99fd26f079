import { defineTask } from '../task-runner/define-task.ts';
import { NonRetriableError } from '../../core/errors.ts';

interface Order {
  readonly orderId: string;
  readonly amount: number;
  readonly email?: string;
}

/** Rejects orders that can never succeed; retrying them would only cost money. */
export const handler = defineTask<Order>(async ({ input }) => {
  if (input.amount > 10_000) throw new NonRetriableError(`order ${input.orderId}: amount ${input.amount} exceeds the 10000 limit`);
  return { orderId: input.orderId, amount: input.amount, valid: true };
});
