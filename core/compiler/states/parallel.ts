import { MAX_NESTED_INTRINSICS } from '../../asl/limits.ts';
import { transition, type AslState, type Branch, type ParallelState, type PassState } from '../../asl/index.ts';
import { stateNames } from './names.ts';

/** Results one field can merge: a balanced tree over n of them takes n − 1 JsonMerge calls. */
const MERGED_PER_FIELD = MAX_NESTED_INTRINSICS + 1;

/**
 * A Parallel state whose output is the union of its branches' results, and the Pass states (if any)
 * that finish the merge. Each branch ends with a results object; `States.JsonMerge` takes two at a
 * time (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-json-manipulate),
 * and AWS allows at most 10 intrinsic functions in one field. So up to 11 branches merge in the
 * ResultSelector as a balanced tree (depth ⌈log₂ n⌉, n − 1 calls); wider Parallels merge in groups of
 * 11, one field each, and a Pass state per further level merges the groups. ResultSelector (or the last
 * Pass) builds `{ results }` and OutputPath unwraps it.
 * Branches never write the same key (a task runs in one branch), so a shallow merge is enough.
 */
export function parallelState(name: string, branches: readonly Branch<AslState>[], next: string | undefined): Record<string, AslState> {
  const stages = mergeStages(branches.length);
  const states: Record<string, AslState> = {};
  const passNames = stages.slice(1).map((_, i) => stateNames.merge(name, i + 1));
  const after = (i: number) => (i < stages.length - 1 ? passNames[i] : next);
  const unwrap = (i: number) => (i === stages.length - 1 ? { OutputPath: '$.results' } : {});
  const parallel: ParallelState<AslState> = {
    Type: 'Parallel',
    Branches: branches,
    ResultSelector: stages[0],
    ...unwrap(0),
    ...transition(after(0)),
  };
  states[name] = parallel;
  stages.slice(1).forEach((stage, i) => {
    const pass: PassState = { Type: 'Pass', Parameters: stage, ...unwrap(i + 1), ...transition(after(i + 1)) };
    states[passNames[i]] = pass;
  });
  return states;
}

/** The payload templates that merge `count` results (`$[0]` …), the last one as `{ "results.$": … }`. */
export function mergeStages(count: number): Record<string, string>[] {
  let paths = Array.from({ length: count }, (_, i) => `$[${i}]`);
  const stages: Record<string, string>[] = [];
  while (paths.length > MERGED_PER_FIELD) {
    const groups: string[][] = [];
    for (let i = 0; i < paths.length; i += MERGED_PER_FIELD) groups.push(paths.slice(i, i + MERGED_PER_FIELD));
    stages.push(Object.fromEntries(groups.map((group, i) => [`merged_${i}.$`, mergeTree(group)])));
    paths = groups.map((_, i) => `$.merged_${i}`);
  }
  stages.push({ 'results.$': mergeTree(paths) });
  return stages;
}

/** `States.JsonMerge` over the paths as a balanced binary tree. */
export function mergeTree(paths: readonly string[]): string {
  if (paths.length === 1) return paths[0];
  const half = Math.ceil(paths.length / 2);
  return `States.JsonMerge(${mergeTree(paths.slice(0, half))}, ${mergeTree(paths.slice(half))}, false)`;
}
