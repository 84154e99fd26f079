import { describe, expect, it } from 'vitest';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { workflowMermaid } from '../../../core/compiler/mermaid.ts';
import { ECHO, FILE, compile, definitionOf, stateOf } from './support.ts';

const pipeline = (fanOut: string) => `workflow:
  name: example
  stages:
    - name: prepare
      tasks:
        - { name: list_images, handler: ${ECHO} }
    - name: resize
${fanOut}
    - name: finish
      tasks:
        - { name: publish, handler: ${ECHO} }
`;

const fromS3 = (forEach: string, more = '') => pipeline(`      for_each: ${forEach}
      max_concurrency: 500
      large: true
${more}      task: { name: resize_image, handler: ${ECHO} }`);

const diagnosticsOf = (yaml: string) => loadDefinitionText(yaml, FILE).diagnostics;

describe('fan-outs over an S3 object', () => {
  it('compile to a Distributed Map reading the object with an ItemReader, each item still given as { item, index, results }', () => {
    const { asl } = compile(fromS3('s3://item-sets/images/list.json'));
    const map = stateOf(asl.States, 'resize', 'Map');
    expect(map).toMatchObject({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'item-sets', Key: 'images/list.json' } },
      ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'results.$': '$' },
      MaxConcurrency: 500,
      ResultPath: '$.resize',
      Next: 'publish',
    });
    // ItemReader replaces ItemsPath: the items are not in the state data.
    expect(map).not.toHaveProperty('ItemsPath');
    expect(map.ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
  });

  it('take the object form with a format, and batch with ItemBatcher', () => {
    const { asl } = compile(fromS3('{ s3: { bucket: item-sets, key: rows.csv }, format: csv }', '      batch_size: 25\n'));
    const map = stateOf(asl.States, 'resize', 'Map');
    expect(map.ItemReader).toEqual({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'item-sets', Key: 'rows.csv' } });
    expect(map.ItemBatcher).toEqual({ MaxItemsPerBatch: 25, BatchInput: { 'results.$': '$' } });
    expect(map).not.toHaveProperty('ItemSelector');
    const lines = compile(fromS3('{ s3: { bucket: item-sets, key: rows.jsonl }, format: jsonl }'));
    expect(stateOf(lines.asl.States, 'resize', 'Map').ItemReader).toMatchObject({ ReaderConfig: { InputType: 'JSONL' } });
  });

  it('need large: true, with the reason, path and line', () => {
    const found = diagnosticsOf(pipeline(`      for_each: s3://item-sets/images/list.json
      max_concurrency: 10
      task: { name: resize_image, handler: ${ECHO} }`));
    expect(found).toEqual([expect.objectContaining({
      code: 'invalid_value', severity: 'error', file: FILE, path: ['workflow', 'stages', 1, 'for_each'], line: 8,
      message: expect.stringContaining('add large: true'),
    })]);
  });

  it('refuse buckets and keys the role could not be granted exactly', () => {
    for (const [forEach, reason] of [
      ['s3://${BUCKET}/items.json', 'must be literal'],
      ['s3://Item_Sets/items.json', 'not an S3 bucket name'],
      ['s3://item-sets/images/', 'names no object'],
      ['s3://item-sets/images/*.json', 'may not contain * or ?'],
      ['{ s3: { bucket: item-sets, key: ../x.json } }', '".." segments'],
    ]) {
      const found = diagnosticsOf(fromS3(forEach));
      expect(found.filter((d) => d.severity === 'error'), forEach).toEqual([expect.objectContaining({ code: 'invalid_value', path: ['workflow', 'stages', 1, 'for_each'], line: 8, message: expect.stringContaining(reason) })]);
    }
    const unknownFormat = diagnosticsOf(fromS3('{ s3: { bucket: item-sets, key: x.parquet }, format: parquet }'));
    expect(unknownFormat.some((d) => d.severity === 'error' && d.line === 8)).toBe(true);
  });

  it('warn that offline the items come from the data dir, and show the source in the graph', () => {
    const found = diagnosticsOf(fromS3('s3://item-sets/images/list.json'));
    expect(found).toEqual([expect.objectContaining({ code: 'inline_offline', severity: 'warning', message: expect.stringContaining('s3/item-sets/images/list.json under the data dir') })]);
    const graph = workflowMermaid(definitionOf(fromS3('{ s3: { bucket: item-sets, key: rows.jsonl }, format: jsonl }')));
    expect(graph).toContain('for each s3://item-sets/rows.jsonl (jsonl)');
  });
});
