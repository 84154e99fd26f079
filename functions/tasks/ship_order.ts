import { defineTask } from '../task-runner/define-task.ts';

interface Order {
  readonly orderId: string;
}

export const handler = defineTask<Order>(async ({ input, results }) => {
  const charge = results.charge_payment as { chargeId: string } | undefined;
  return { orderId: input.orderId, trackingNumber: `TRK-${input.orderId.toUpperCase()}`, paidWith: charge?.chargeId };
});
