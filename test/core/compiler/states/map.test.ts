import { describe, expect, it } from 'vitest';
import { ECHO, LAMBDA_RETRY, compile, payload } from '../support.ts';
import { runOffline } from '../run-offline.ts';

const YAML = `workflow:
  engine: { type: parallel, max_concurrent_tasks: 2 }
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: b, handler: ${ECHO}, depends_on: [a], estimate: 1s }
    - { name: c, handler: ${ECHO}, depends_on: [a], estimate: 5s }
    - { name: d, handler: ${ECHO}, depends_on: [a], estimate: 1s }
`;

describe('mapStates', () => {
  it('hands out a fan-out wider than max_concurrent_tasks through a Map, longest first', () => {
    const { asl } = compile(YAML);
    const iteration = (task: string) => ({
      Type: 'Task',
      Resource: `\${TaskFunction_echo_7fe83b}`,
      InputPath: '$.results',
      Parameters: payload(task, false),
      ResultSelector: { [`${task}.$`]: '$' },
      TimeoutSeconds: 60,
      Retry: [LAMBDA_RETRY],
      End: true,
    });
    expect(asl.States).toEqual({
      a: expect.objectContaining({ Type: 'Task', Next: 'map.1.items' }),
      'map.1.items': { Type: 'Pass', Parameters: { items: ['c', 'b', 'd'], 'results.$': '$' }, Next: 'map.1' },
      'map.1': {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'task.$': '$$.Map.Item.Value', 'results.$': '$.results' },
        MaxConcurrency: 2,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'map.1.dispatch',
          States: {
            'map.1.dispatch': {
              Type: 'Choice',
              Choices: [
                { Variable: '$.task', StringEquals: 'c', Next: 'c' },
                { Variable: '$.task', StringEquals: 'b', Next: 'b' },
                { Variable: '$.task', StringEquals: 'd', Next: 'd' },
              ],
            },
            c: iteration('c'),
            b: iteration('b'),
            d: iteration('d'),
          },
        },
        // Each result is taken by its item's place: no intrinsic function, however many tasks.
        ResultSelector: { 'c.$': '$[0].c', 'b.$': '$[1].b', 'd.$': '$[2].d' },
        ResultPath: '$.items',
        Next: 'map.1.merge',
      },
      'map.1.merge': { Type: 'Pass', Parameters: { 'results.$': 'States.JsonMerge($.results, $.items, false)' }, OutputPath: '$.results', End: true },
    });
  });

  it('hands every result on, offline, each task seeing the results before the Map', async () => {
    const { asl } = compile(YAML);
    const seen: Record<string, unknown> = {};
    const handler = (task: string) => (input: { results: unknown }) => {
      seen[task] = input.results;
      return task.toUpperCase();
    };
    const output = await runOffline(asl, { a: handler('a'), b: handler('b'), c: handler('c'), d: handler('d') });
    expect(output).toEqual({ a: 'A', b: 'B', c: 'C', d: 'D' });
    expect(seen).toEqual({ a: {}, b: { a: 'A' }, c: { a: 'A' }, d: { a: 'A' } });
  });

  it('starts the results from nothing when the Map runs first, and keeps failures of on_failure: continue', async () => {
    const { asl } = compile(`workflow:\n  engine: { type: parallel, max_concurrent_tasks: 2 }\n  tasks:\n${['x', 'y', 'z'].map((t) => `    - { name: ${t}, handler: ${ECHO}, on_failure: continue }`).join('\n')}\n`);
    expect(Object.keys(asl.States)).toEqual(['map.1.items', 'map.1']);
    const output = await runOffline(asl, {
      x: () => 'X',
      y: () => {
        throw Object.assign(new Error('gone'), { name: 'Lambda.ResourceNotFoundException' });
      },
      z: () => 'Z',
    });
    expect(output).toEqual({ x: 'X', y: { error: 'Lambda.ResourceNotFoundException', cause: 'gone' }, z: 'Z' });
  });
});
