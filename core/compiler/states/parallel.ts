import { transition, type AslState, type Branch, type ParallelState } from '../../asl/index.ts';

/**
 * A Parallel state whose output is the union of its branches' results. Each branch ends with a
 * results object; `States.JsonMerge` takes two at a time, so the merge nests
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-json-manipulate).
 * ResultSelector builds `{ results }` and OutputPath unwraps it: no Pass state is needed.
 */
export function parallelState(branches: readonly Branch<AslState>[], next?: string): ParallelState<AslState> {
  let merged = '$[0]';
  for (let i = 1; i < branches.length; i++) merged = `States.JsonMerge(${merged}, $[${i}], false)`;
  return {
    Type: 'Parallel',
    Branches: branches,
    ResultSelector: { 'results.$': merged },
    OutputPath: '$.results',
    ...transition(next),
  };
}
