import { createHash } from 'node:crypto';
import { MAX_STATE_NAME_LENGTH } from '../../asl/limits.ts';

/**
 * A generated name that fits: long ones (a fallback of a fallback, with suffixes) keep their start and
 * end and swap the middle for a short hash, so they stay unique and readable.
 */
function fit(name: string): string {
  if (name.length <= MAX_STATE_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 40)}~${hash}~${name.slice(-(MAX_STATE_NAME_LENGTH - 42 - hash.length))}`;
}

/**
 * Names of the states the compiler adds around tasks. Task names are letters, digits and underscores,
 * so a dot can never collide with one.
 */
export const stateNames = {
  task: (task: string) => task,
  parallel: (index: number) => `parallel.${index}`,
  /** Pass states that finish merging a wide Parallel's results. */
  merge: (parallel: string, level: number) => `${parallel}.merge${level > 1 ? `.${level}` : ''}`,
  map: (index: number) => `map.${index}`,
  mapItems: (map: string) => `${map}.items`,
  mapDispatch: (map: string) => `${map}.dispatch`,
  mapMerge: (map: string) => `${map}.merge`,
  /** The one Parallel state of a gated workflow. */
  gated: () => 'gated.tasks',
  gate: (task: string) => fit(`${task}.gate`),
  done: (task: string) => fit(`${task}.done`),
  caught: (state: string) => fit(`${state}.caught`),
  parsed: (state: string) => fit(`${state}.parsed`),
  cause: (state: string) => fit(`${state}.cause`),
  plain: (state: string) => fit(`${state}.plain`),
  bare: (state: string) => fit(`${state}.bare`),
  timedOut: (state: string) => fit(`${state}.timed_out`),
  fallback: (fallback: string, failed: string) => fit(`${fallback}.for.${failed}`),
  /** Records when a compensable task completed. */
  completed: (state: string) => fit(`${state}.completed`),
  /** Ends a Parallel branch of a saga where one of its tasks failed. */
  branchFailed: (parallel: string, branch: number) => `${parallel}.branch${branch}.failed`,
  /** After a saga's Parallel state: did a branch fail? */
  branchCheck: (parallel: string) => `${parallel}.check`,
  /** Ends a saga's scope successfully after its last Parallel state. */
  passed: (parallel: string) => `${parallel}.passed`,
  sagaOrder: () => 'saga.order',
  sagaCompensate: () => 'saga.compensate',
  sagaDispatch: () => 'saga.dispatch',
  sagaReport: () => 'saga.report',
  sagaFailed: () => 'saga.failed',
  compensation: (task: string) => fit(`${task}.compensate`),
  /** A fan-out stage's per-item task, its failure record, and the tolerance check after its Map. */
  fanOutItem: (stage: string) => fit(`${stage}.item`),
  fanOutItemFailed: (stage: string) => fit(`${stage}.item_failed`),
  fanOutTolerance: (stage: string) => fit(`${stage}.tolerance`),
  /** A batched inline fan-out: partitions the items before its Map, and restores the results when the Map's failure is caught. */
  fanOutPartition: (stage: string) => fit(`${stage}.partition`),
  fanOutRestore: (stage: string) => fit(`${stage}.restore`),
  /** An approval that expired: marks its record, then fails as a rejection. */
  approvalExpired: (task: string) => fit(`${task}.expired`),
  approvalRejected: (task: string) => fit(`${task}.rejected`),
  compensationFailed: (task: string) => fit(`${task}.compensation_failed`),
};
