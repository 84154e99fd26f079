import { describe, expect, it } from 'vitest';
import { chooseStrategy, taskWeight } from '../../../core/compiler/strategy.ts';
import { ECHO, definitionOf } from './support.ts';

/** The N shape (c needs a and b, d needs b), with estimates when given. */
const nShape = (engine: string, estimates: Record<string, string> = {}) => definitionOf(`workflow:
  engine: { type: parallel${engine} }
  tasks:
    - { name: a, handler: ${ECHO}${estimates.a ? `, estimate: ${estimates.a}` : ''} }
    - { name: b, handler: ${ECHO}${estimates.b ? `, estimate: ${estimates.b}` : ''} }
    - { name: c, handler: ${ECHO}, depends_on: [a, b]${estimates.c ? `, estimate: ${estimates.c}` : ''} }
    - { name: d, handler: ${ECHO}, depends_on: [b]${estimates.d ? `, estimate: ${estimates.d}` : ''} }
`);

describe('chooseStrategy', () => {
  it('nests when nesting loses nothing', () => {
    const choice = chooseStrategy(nShape(''));
    expect(choice).toMatchObject({ kind: 'nested', makespanRatio: 1, reason: 'nested states take 1.00× the ideal (at most 1.05)' });
  });

  it('gates when the estimates say nesting would lose more than 5%', () => {
    // GIVEN a and d long: nesting takes 12 (b; (a; c ‖ d)) against a critical path of 11
    const choice = chooseStrategy(nShape('', { a: '10s', b: '1s', c: '1s', d: '10s' }));
    expect(choice).toMatchObject({ kind: 'gated', makespanRatio: 1, nestedMakespanRatio: 12 / 11 });
    expect(choice.gated).toEqual([
      { task: 'a', needs: [], rank: 0 },
      { task: 'b', needs: [], rank: 1 },
      { task: 'c', needs: ['a', 'b'], rank: 3 },
      { task: 'd', needs: ['b'], rank: 2 },
    ]);
  });

  it('does as engine.dag says, and never gates an express workflow', () => {
    const slow = { a: '10s', b: '1s', c: '1s', d: '10s' };
    expect(chooseStrategy(nShape(', dag: nested', slow)).kind).toBe('nested');
    expect(chooseStrategy(nShape(', dag: gated')).kind).toBe('gated');
    expect(chooseStrategy(nShape(', mode: express', slow))).toMatchObject({ kind: 'nested', reason: 'express workflows cannot wait for task tokens' });
  });

  it('measures a capped workflow against list scheduling under the cap', () => {
    // GIVEN 900/300/300/300 independent tasks, 2 at once: handing out reaches the ideal of 900
    const definition = definitionOf(`workflow:
  engine: { type: parallel, max_concurrent_tasks: 2 }
  tasks:
${['900ms', '300ms', '300ms', '300ms'].map((e, i) => `    - { name: t${i}, handler: ${ECHO}, estimate: ${e} }`).join('\n')}
`);
    expect(chooseStrategy(definition)).toMatchObject({ kind: 'nested', makespanRatio: 1, limit: 2 });
  });
});

describe('taskWeight', () => {
  it('weighs tasks without an estimate as the mean of the others', () => {
    const weight = taskWeight(nShape('', { a: '10s', b: '2s' }));
    expect(['a', 'b', 'c', 'd'].map(weight)).toEqual([10, 2, 6, 6]);
  });
});
