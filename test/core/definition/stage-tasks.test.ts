import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitionText } from '../../../project/definition-files.ts';

const file = resolve('definitions/example.yaml');
const problems = (text: string) =>
  loadDefinitionText(text, file, 'example.yaml').diagnostics.map((d) => ({ file: d.file, line: d.line, severity: d.severity, code: d.code, path: d.path.join('.'), message: d.message }));

const STAGES = `workflow:
  name: staged
  stages:
    - name: one
      tasks:
        - { name: a, pool: nopool }
        - { name: b, type: service, service: ordrs }
    - name: two
      for_each: $.input.items
      max_concurrency: 2
      task: { name: c, pool: missing }
`;

const expected = [
  { file: 'example.yaml', line: 6, severity: 'error', code: 'unknown_pool', path: 'workflow.stages.0.tasks.0.pool', message: expect.stringContaining('unknown pool "nopool"') },
  { file: 'example.yaml', line: 7, severity: 'warning', code: 'unknown_service', path: 'workflow.stages.0.tasks.1.service', message: expect.stringContaining('service "ordrs" is not declared') },
  { file: 'example.yaml', line: 11, severity: 'error', code: 'unknown_pool', path: 'workflow.stages.1.task.pool', message: expect.stringContaining('unknown pool "missing"') },
];

describe('tasks declared inside stages go through the task validators', () => {
  it('a stage task and a fan-out task naming an unknown pool or service: the error (or warning) with file, path and line', () => {
    expect(problems(STAGES)).toEqual(expect.arrayContaining(expected));
  });

  it('also when another stage is broken: every problem at once', () => {
    const found = problems(`${STAGES}    - { name: broken, for_each: "nope", max_concurrency: 2, task: { name: z } }\n`);
    expect(found).toEqual(expect.arrayContaining([...expected, expect.objectContaining({ code: 'invalid_value', path: 'workflow.stages.2.for_each', line: 12 })]));
  });

  it('also when the document has a shape error elsewhere', () => {
    const found = problems(`${STAGES}    - { name: three, tasks: [{ name: d, retries: "x", handler: ../functions/tasks/d.ts }] }\n`);
    expect(found).toEqual(expect.arrayContaining([...expected, expect.objectContaining({ code: 'invalid_type', path: 'workflow.stages.2.tasks.0.retries', line: 12 })]));
  });

  it('a stage task of an orchestrated service names a service the file does not declare', () => {
    const found = problems(`workflow:
  name: staged
  services:
    orders: { instances: ["http://127.0.0.1:1"], balancing: round_robin }
  stages:
    - name: one
      tasks:
        - { name: a, type: service, services: [orders, ordrs] }
`);
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ line: 8, code: 'unknown_service', path: 'workflow.stages.0.tasks.0.services.1' })]));
  });
});
