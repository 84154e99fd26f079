import { defineTask } from '../task-runner/define-task.ts';

export interface Sale {
  readonly region: string;
  readonly product: string;
  readonly day: string;
  readonly amount: number;
}

interface ReportRequest {
  readonly sales?: readonly Sale[];
}

const SAMPLE: readonly Sale[] = [
  { region: 'eu', product: 'widget', day: '2026-11-01', amount: 120 },
  { region: 'us', product: 'widget', day: '2026-11-01', amount: 80 },
  { region: 'eu', product: 'gadget', day: '2026-11-02', amount: 45.5 },
  { region: 'apac', product: 'gizmo', day: '2026-11-02', amount: 10 },
];

/** The sales to report on: given in the input, or a small sample so the example runs as is. */
export const handler = defineTask<ReportRequest>(async ({ input }) => ({ sales: input?.sales ?? SAMPLE }));
