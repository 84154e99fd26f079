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
  caught: (state: string) => fit(`${state}.caught`),
  cause: (state: string) => fit(`${state}.cause`),
  timedOut: (state: string) => fit(`${state}.timed_out`),
  unavailable: (state: string) => fit(`${state}.unavailable`),
  fallback: (fallback: string, failed: string) => fit(`${fallback}.for.${failed}`),
};
