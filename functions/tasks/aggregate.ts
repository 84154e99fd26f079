import { defineTask } from '../task-runner/define-task.ts';
import type { Sale } from './fetch_sales.ts';

function totalsBy(key: keyof Sale, results: Record<string, unknown>): Record<string, number> {
  const { sales } = results.fetch_sales as { sales: Sale[] };
  const totals: Record<string, number> = {};
  for (const sale of sales) totals[String(sale[key])] = (totals[String(sale[key])] ?? 0) + sale.amount;
  return totals;
}

/** Three tasks share this module, and so one Lambda function. */
export const byRegion = defineTask(async ({ results }) => totalsBy('region', results));
export const byProduct = defineTask(async ({ results }) => totalsBy('product', results));
export const byDay = defineTask(async ({ results }) => totalsBy('day', results));
