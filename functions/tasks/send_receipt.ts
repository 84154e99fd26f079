import { defineTask } from '../task-runner/define-task.ts';

interface Order {
  readonly orderId: string;
  readonly email?: string;
}

/** A receipt without an address cannot be sent; the workflow lets this task fail (on_failure: continue). */
export const handler = defineTask<Order>(async ({ input, results }) => {
  if (!input.email) throw new Error(`order ${input.orderId} has no email address`);
  const shipment = results.ship_order as { trackingNumber: string };
  return { to: input.email, subject: `Order ${input.orderId} shipped`, trackingNumber: shipment.trackingNumber };
});
