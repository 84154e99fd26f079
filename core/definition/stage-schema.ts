import { z } from 'zod';
import { S3_ITEM_FORMATS } from './s3-items.ts';

/** `for_each: { s3: { bucket, key }, format }`: the items are an S3 object's (with `large: true`). */
const s3ForEach = z.strictObject({
  s3: z.strictObject({
    bucket: z.string().min(1).describe('The bucket (a literal name)'),
    key: z.string().min(1).describe('The object\'s key'),
  }),
  format: z.enum(S3_ITEM_FORMATS).optional().describe('json: a JSON array; jsonl: a JSON value per line; csv: rows keyed by the first row. @default json'),
});

/**
 * A stage of a pipeline (`workflow.stages`): either `tasks` (they depend on each other as under
 * `workflow.tasks`, and all of them on the previous stage), or a fan-out: `task` run once for each item
 * of `for_each`, `max_concurrency` at a time (a Map state). One object with both forms' keys, so a
 * misplaced key gets a clear message (checked in stages.ts) rather than a union error.
 */
export function stageSchemaOf<Task extends z.ZodType>(taskSchema: Task) {
  return z
    .strictObject({
      name: z.string().min(1).describe('Stage name: letters, digits and underscores; a fan-out\'s result is stored under it'),
      tasks: z.array(taskSchema).min(1, { error: 'a stage needs at least one task' }).optional()
        .describe('The stage\'s tasks (depends_on within the stage); they start once the previous stage completed'),
      for_each: z.union([z.string(), s3ForEach]).optional()
        .describe('Fan-out: where the items are, `$.input.<path>` (execution input), `$.results.<task>.<path>` (a previous result), or with large: true an S3 object, `s3://<bucket>/<key>` (a JSON array) or `{ s3: { bucket, key }, format }`'),
      max_concurrency: z.number().int({ error: (i) => `max_concurrency must be a whole number, got ${JSON.stringify(i.input)}` }).optional()
        .describe('Fan-out: items handled at once (Map MaxConcurrency, 1-40 inline)'),
      batch_size: z.number().int({ error: (i) => `batch_size must be a whole number, got ${JSON.stringify(i.input)}` }).optional()
        .describe('Fan-out: items per iteration; the task then receives `items` (a list) instead of `item` (ItemBatcher MaxItemsPerBatch with `large: true`, States.ArrayPartition inline)'),
      tolerated_failure_percentage: z.number().optional()
        .describe('Fan-out: share of items (0-100) that may fail without failing the stage; the result then lists the failures. @default 0'),
      large: z.boolean().optional()
        .describe('Fan-out: a Distributed Map (a child execution per item) on AWS; offline it runs inline. @default false'),
      collect: z.enum(['list']).optional().describe('Fan-out: how item results are gathered (a list in item order). @default list'),
      task: taskSchema.optional().describe('Fan-out: the task run for each item; it receives { input, results, item }'),
    })
    .describe('A stage: `tasks`, or a fan-out (`for_each`, `max_concurrency`, `task`)');
}
