import { createHash } from 'node:crypto';
import { defineTask } from '../task-runner/define-task.ts';

interface Order {
  readonly orderId: string;
  readonly amount: number;
}

/** Charges the order; the charge id is derived from the order so a retried charge is the same charge. */
export const handler = defineTask<Order>(async ({ input }) => {
  const chargeId = `ch_${createHash('sha256').update(input.orderId).digest('hex').slice(0, 16)}`;
  return { chargeId, amount: input.amount, currency: 'EUR' };
});
