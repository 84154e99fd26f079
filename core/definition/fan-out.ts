import type { S3ItemSource } from './s3-items.ts';

/**
 * A fan-out stage of a pipeline, after validation: its task runs once for each item of an array, at
 * most `maxConcurrency` at a time (a Map state). The stage is a task of the graph named after the
 * stage; its result (`results.<stage>`) is the list of item results, in item order.
 */
export interface FanOutDefinition {
  /** The per-item task's own name (the `task` field its handler receives). */
  readonly itemTask: string;
  /** Where the items are: the execution input, or the results so far, and the keys below it; or an S3 object (with `large`). */
  readonly items: StateItemSource | S3ItemSource;
  readonly maxConcurrency: number;
  /** Share of items (0-100) that may fail; undefined: any failure fails the stage. */
  readonly toleratedFailurePercentage?: number;
  /** A Distributed Map on AWS (inline offline). */
  readonly large: boolean;
  /** Items per child execution (ItemBatcher), with `large`. */
  readonly batchSize?: number;
}

/** Items in the state data: the execution input, or the results so far, and the keys below it. */
export interface StateItemSource {
  readonly source: 'input' | 'results';
  readonly path: readonly string[];
}

/** Inline Map states run at most 40 iterations at once (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html). */
export const MAX_INLINE_MAP_CONCURRENCY = 40;
/** Distributed Map states run at most 10,000 child executions at once (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html). */
export const MAX_DISTRIBUTED_MAP_CONCURRENCY = 10_000;

/** A stage of a pipeline and the tasks it became (a fan-out: the one task named after it). */
export interface StageDefinition {
  readonly name: string;
  readonly tasks: readonly string[];
}
