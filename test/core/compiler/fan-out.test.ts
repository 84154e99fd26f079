import { describe, expect, it } from 'vitest';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { workflowMermaid } from '../../../core/compiler/mermaid.ts';
import { ECHO, FILE, compile, definitionOf, stateOf } from './support.ts';
import { runOffline, taskError } from './run-offline.ts';

const pipeline = (fanOut: string, extra = '') => `workflow:
  name: example
${extra}  stages:
    - name: prepare
      tasks:
        - { name: list_images, handler: ${ECHO} }
        - { name: audit, handler: ${ECHO}, depends_on: [list_images] }
    - name: resize
${fanOut}
    - name: finish
      tasks:
        - { name: publish, handler: ${ECHO} }
`;

const simple = pipeline(`      for_each: $.results.list_images.keys
      max_concurrency: 10
      task: { name: resize_image, handler: ${ECHO}, retries: 2 }`);

function diagnosticsOf(yaml: string) {
  return loadDefinitionText(yaml, FILE).diagnostics;
}

describe('pipelines: stages and fan-outs', () => {
  it('runs each stage after the previous one, and a fan-out as a Map over the items', () => {
    const { asl, taskStates, functions } = compile(simple);
    expect(Object.keys(asl.States)).toEqual(['list_images', 'audit', 'resize', 'publish']);
    const map = stateOf(asl.States, 'resize', 'Map');
    expect(map).toMatchObject({
      ItemsPath: '$.list_images.keys',
      ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'results.$': '$' },
      MaxConcurrency: 10,
      ResultPath: '$.resize',
      Next: 'publish',
    });
    expect(map.ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    const item = map.ItemProcessor!.States['resize.item'];
    expect(item).toMatchObject({
      Type: 'Task',
      Parameters: { task: 'resize_image', 'item.$': '$.item', 'index.$': '$.index', 'results.$': '$.results', 'input.$': '$$.Execution.Input' },
      Retry: expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 2 })]),
      End: true,
    });
    expect(taskStates['resize.item']).toMatchObject({ task: 'resize', kind: 'function' });
    expect(functions.some((f) => f.tasks.includes('resize'))).toBe(true);
    expect(functions.map((f) => f.id)).not.toContain('stepflow_pipeline');
  });

  it('reads items from the execution input, and a first fan-out starts with no results', () => {
    const { asl } = compile(`workflow:
  name: example
  stages:
    - { name: each, for_each: $.input.items, max_concurrency: 3, task: { name: work, handler: ${ECHO} } }
`);
    expect(stateOf(asl.States, 'each', 'Map')).toMatchObject({
      ItemsPath: '$$.Execution.Input.items',
      ItemSelector: { results: {} },
      ResultSelector: { 'each.$': '$' },
      End: true,
    });
  });

  it('large: a Distributed Map with standard child executions', () => {
    const { asl } = compile(pipeline(`      for_each: $.results.list_images.keys
      max_concurrency: 500
      large: true
      task: { name: resize_image, handler: ${ECHO} }`));
    expect(stateOf(asl.States, 'resize', 'Map').ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
  });

  it('tolerance: items catch their failures, and the pipeline function checks the share after the Map', () => {
    const { asl, functions, taskStates } = compile(pipeline(`      for_each: $.results.list_images.keys
      max_concurrency: 10
      tolerated_failure_percentage: 20
      task: { name: resize_image, handler: ${ECHO} }`));
    const map = stateOf(asl.States, 'resize', 'Map');
    expect(map.Next).toBe('resize.tolerance');
    expect(map.ItemProcessor!.States['resize.item']).toMatchObject({ Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'resize.item_failed' }] });
    expect(stateOf(asl.States, 'resize.tolerance', 'Task')).toMatchObject({
      Resource: '${TaskFunction_stepflow_pipeline}',
      Parameters: { action: 'tolerance', stage: 'resize', tolerance: 20, 'items.$': '$.resize' },
      ResultPath: '$.resize',
      Next: 'publish',
    });
    expect(functions.map((f) => f.id)).toContain('stepflow_pipeline');
    expect(taskStates['resize.tolerance'].placeholder).toBe('TaskFunction_stepflow_pipeline');
  });

  it('runs: every item gets its item and index, results come back in item order', async () => {
    const { asl } = compile(simple);
    const output = await runOffline(asl, {
      list_images: () => ({ keys: ['a', 'b', 'c'] }),
      audit: () => 'ok',
      'resize.item': ((event: { item: string; index: number; results: Record<string, unknown> }) => `${event.index}:${event.item}:${Object.keys(event.results).join('+')}`) as never,
      publish: () => 'done',
    });
    expect(output).toEqual({
      list_images: { keys: ['a', 'b', 'c'] },
      audit: 'ok',
      resize: ['0:a:list_images+audit', '1:b:list_images+audit', '2:c:list_images+audit'],
      publish: 'done',
    });
  });

  it('a failing item fails the stage when nothing is tolerated', async () => {
    const { asl } = compile(simple.replace(', retries: 2', ''));
    await expect(runOffline(asl, {
      list_images: () => ({ keys: ['a', 'b'] }),
      audit: () => 'ok',
      'resize.item': ((event: { item: string }) => {
        if (event.item === 'b') throw taskError('Broken', 'b is broken');
        return event.item;
      }) as never,
      publish: () => 'done',
    })).rejects.toThrow();
  });

  it('reports stage mistakes with the stage path and line', () => {
    const unknown = diagnosticsOf(pipeline(`      for_each: $.results.list_imgs.keys
      max_concurrency: 10
      task: { name: resize_image, handler: ${ECHO} }`));
    expect(unknown).toEqual([expect.objectContaining({
      code: 'unknown_reference', path: ['workflow', 'stages', 1, 'for_each'], line: 9,
      message: expect.stringContaining('did you mean "list_images"'),
    })]);

    const later = diagnosticsOf(pipeline(`      for_each: $.results.publish.keys
      max_concurrency: 10
      task: { name: resize_image, handler: ${ECHO} }`));
    expect(later.map((d) => d.code)).toEqual(['unknown_reference']);

    const tooMany = diagnosticsOf(pipeline(`      for_each: $.input.items
      max_concurrency: 41
      batch_size: 0
      task: { name: resize_image, handler: ${ECHO}, depends_on: [audit] }`));
    expect(tooMany.map((d) => [d.code, d.path.slice(3).join('.')])).toEqual([
      ['value_out_of_range', 'max_concurrency'],
      ['value_out_of_range', 'batch_size'],
      ['invalid_stage', 'task.depends_on'],
    ]);
    expect(tooMany[0].message).toContain('at most 40');

    const zero = diagnosticsOf(pipeline(`      for_each: $.input.items
      max_concurrency: 0
      task: { name: resize_image, handler: ${ECHO} }`));
    expect(zero[0]).toMatchObject({ code: 'value_out_of_range', path: ['workflow', 'stages', 1, 'max_concurrency'] });

    const missing = diagnosticsOf(pipeline(`      max_concurrency: 2
      task: { name: resize_image, handler: ${ECHO} }`));
    expect(missing[0]).toMatchObject({ code: 'invalid_stage', message: expect.stringContaining('"for_each" is missing') });

    const badHandler = diagnosticsOf(pipeline(`      for_each: $.input.items
      max_concurrency: 2
      task: { name: resize_image, handler: ../handlers/nope.ts }`));
    expect(badHandler[0]).toMatchObject({ code: 'handler_not_found', path: ['workflow', 'stages', 1, 'task', 'handler'], line: 11 });

    const both = diagnosticsOf(`workflow:
  name: example
  tasks: [{ name: a, handler: ${ECHO} }]
  stages: [{ name: s, tasks: [{ name: b, handler: ${ECHO} }] }]
`);
    expect(both[0]).toMatchObject({ code: 'invalid_stage', path: ['workflow', 'stages'] });
  });

  it('graph: stages as subgraphs, a fan-out as a parallelogram saying where its items come from', () => {
    const graph = workflowMermaid(definitionOf(simple));
    expect(graph).toContain('  subgraph s_prepare["stage prepare"]\n    t_list_images[');
    expect(graph).toMatch(/subgraph s_resize\["stage resize"\]\n    t_resize\[\/"for each \$\.results\.list_images\.keys<br\/>resize_image<br\/><small>echo\.ts#handler, 10 at once<\/small>"\/\]\n  end/);
    expect(graph).toContain('t_audit --> t_resize');
    expect(graph).toContain('t_resize --> t_publish');
  });

  it('batch_size inline: a Pass partitions the items (States.ArrayPartition) beside the results, the Map runs once per batch and gives the results back', () => {
    const { asl } = compile(pipeline(`      for_each: $.results.list_images.keys
      max_concurrency: 4
      batch_size: 25
      task: { name: resize_image, handler: ${ECHO} }`));
    expect(stateOf(asl.States, 'audit', 'Task').Next).toBe('resize.partition');
    expect(stateOf(asl.States, 'resize.partition', 'Pass')).toEqual({
      Type: 'Pass', Parameters: { 'batches.$': 'States.ArrayPartition($.list_images.keys, 25)', 'results.$': '$' }, Next: 'resize',
    });
    const map = stateOf(asl.States, 'resize', 'Map');
    expect(map).toMatchObject({ ItemsPath: '$.batches', ItemSelector: { 'items.$': '$$.Map.Item.Value', 'results.$': '$.results' }, ResultPath: '$.results.resize', OutputPath: '$.results', MaxConcurrency: 4 });
    expect(map.ItemProcessor!.States['resize.item']).toMatchObject({ Parameters: { task: 'resize_image', 'items.$': '$.items', 'results.$': '$.results' } });
    expect(JSON.stringify(map.ItemProcessor!.States)).not.toContain('item.$');
  });

  it('batch_size with large: ItemBatcher MaxItemsPerBatch, the results as BatchInput; the task reads Items', () => {
    const { asl } = compile(pipeline(`      for_each: $.results.list_images.keys
      max_concurrency: 100
      large: true
      batch_size: 50
      task: { name: resize_image, handler: ${ECHO} }`));
    const map = stateOf(asl.States, 'resize', 'Map');
    expect(map).toMatchObject({ ItemsPath: '$.list_images.keys', ItemBatcher: { MaxItemsPerBatch: 50, BatchInput: { 'results.$': '$' } }, ResultPath: '$.resize' });
    expect(map.ItemSelector).toBeUndefined();
    expect(map.ItemProcessor!.States['resize.item']).toMatchObject({ Parameters: { 'items.$': '$.Items', 'results.$': '$.BatchInput.results' } });
  });
});
