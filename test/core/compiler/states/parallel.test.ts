import { describe, expect, it } from 'vitest';
import { mergeStages, mergeTree } from '../../../../core/compiler/states/parallel.ts';
import { compile, independentTasks, stateOf } from '../support.ts';
import { runOffline } from '../run-offline.ts';

/** Intrinsic calls in an expression, and how deep they nest. */
function intrinsics(expression: string): { calls: number; depth: number } {
  let depth = 0;
  let deepest = 0;
  for (const token of expression.match(/States\.[A-Za-z]+\(|\)/g) ?? []) {
    depth += token === ')' ? -1 : 1;
    deepest = Math.max(deepest, depth);
  }
  return { calls: (expression.match(/States\.[A-Za-z]+\(/g) ?? []).length, depth: deepest };
}

const fanOut = (n: number) => compile(`workflow:\n  engine: { type: parallel }\n  tasks:\n${independentTasks(n)}\n`);

describe('parallelState', () => {
  it('merges up to 11 branches in one balanced tree of JsonMerge', () => {
    expect(mergeTree(['$[0]', '$[1]', '$[2]', '$[3]'])).toBe('States.JsonMerge(States.JsonMerge($[0], $[1], false), States.JsonMerge($[2], $[3], false), false)');
    expect(mergeStages(11).map((stage) => Object.values(stage).map(intrinsics))).toEqual([[{ calls: 10, depth: 4 }]]);
  });

  it('merges 12 branches in groups, within 10 intrinsic functions per field', () => {
    // GIVEN 12 independent tasks (11 nested JsonMerge calls before, above the limit of 10)
    const { asl } = fanOut(12);
    const parallel = stateOf(asl.States, 'parallel.1', 'Parallel');
    // THEN two groups merged in the ResultSelector, and one Pass state merging the groups
    expect(parallel.ResultSelector).toEqual({
      'merged_0.$': mergeTree(Array.from({ length: 11 }, (_, i) => `$[${i}]`)),
      'merged_1.$': '$[11]',
    });
    expect(parallel.Next).toBe('parallel.1.merge');
    expect(asl.States['parallel.1.merge']).toEqual({
      Type: 'Pass',
      Parameters: { 'results.$': 'States.JsonMerge($.merged_0, $.merged_1, false)' },
      OutputPath: '$.results',
      End: true,
    });
    expect(intrinsics(parallel.ResultSelector!['merged_0.$'] as string)).toEqual({ calls: 10, depth: 4 });
  });

  it('merges 40 branches with at most 10 intrinsic functions, 4 deep, in any field', () => {
    const { asl } = fanOut(40);
    const parallel = stateOf(asl.States, 'parallel.1', 'Parallel');
    const fields = [...Object.values(parallel.ResultSelector!), ...Object.values(stateOf(asl.States, 'parallel.1.merge', 'Pass').Parameters!)];
    expect(fields.map((f) => intrinsics(f as string))).toEqual([
      { calls: 10, depth: 4 },
      { calls: 10, depth: 4 },
      { calls: 10, depth: 4 },
      { calls: 6, depth: 3 },
      { calls: 3, depth: 2 },
    ]);
  });

  it('hands every one of 40 results on, offline', async () => {
    const { asl } = fanOut(40);
    const handlers = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, () => `r${i}`]));
    const output = await runOffline(asl, handlers);
    expect(output).toEqual(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, `r${i}`])));
  });
});
