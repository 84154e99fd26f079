import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitionText as parseDefinition } from '../../../project/definition-files.ts';

const file = resolve('definitions/example.yaml');
const problems = (text: string) =>
  parseDefinition(text, file, 'example.yaml').diagnostics.map((d) => ({ code: d.code, path: d.path.join('.'), message: d.message }));

const WORKFLOW = `workflow:
  tasks:
    - name: fetch_records
`;
const POOL = `pools:
  thumbnails:
    handler: ../functions/jobs/make_thumbnail.ts#handler
`;

describe('pools in a definition', () => {
  it('applies the process_management block, then stepflow\'s defaults, to every pool of the file', () => {
    const text = `process_management:
  pool: { min_size: 1, max_size: 10, idle_timeout: 2m }
  monitoring: { health_check_interval: 15s, alerting: false }
  recovery: { max_restarts: 2, restart_delay: 5s }
${POOL}${WORKFLOW}`;

    const { definition, diagnostics } = parseDefinition(text, file, 'example.yaml');

    expect(diagnostics).toEqual([]);
    expect(definition?.pools).toEqual([{
      name: 'thumbnails',
      handler: { file: resolve('functions/jobs/make_thumbnail.ts'), exportName: 'handler' },
      minSize: 1,
      maxSize: 10,
      idleTimeoutSeconds: 120,
      batchSize: 1,
      timeoutSeconds: 30,
      memoryMb: 512,
      lanes: [{ name: 'normal', share: 100, concurrency: 10 }],
      monitoring: { healthCheckIntervalSeconds: 15, metricsCollection: true, alerting: false },
      recovery: { autoRestart: true, maxRestarts: 2, restartDelaySeconds: 5 },
    }]);
  });

  it('splits max_size between the lanes, in the order written, adding up to max_size', () => {
    const text = `${POOL}    max_size: 10\n    priorities: { high: 50, normal: 30, low: 20 }\n${WORKFLOW}`;

    const { definition } = parseDefinition(text, file, 'example.yaml');

    expect(definition?.pools?.[0].lanes).toEqual([
      { name: 'high', share: 50, concurrency: 5 },
      { name: 'normal', share: 30, concurrency: 3 },
      { name: 'low', share: 20, concurrency: 2 },
    ]);
  });

  it('reports values that cannot work on AWS, each with the reason', () => {
    const text = `pools:
  thumbnails:
    handler: ../functions/jobs/make_thumbnail.ts#handler
    max_size: 1
    timeout: 20m
    recovery: { max_restarts: -1 }
  resize:
    handler: ../functions/jobs/make_thumbnail.ts#handler
    max_size: 4
    priorities: { high: 50, normal: 30, low: 30 }
  crop:
    handler: ../functions/jobs/make_thumbnail.ts#handler
    max_size: 4
    priorities: { high: 50, normal: 30, low: 20 }
${WORKFLOW}`;

    expect(problems(text)).toEqual([
      { code: 'value_out_of_range', path: 'pools.thumbnails.max_size', message: 'max_size must be between 2 and 1000 (an SQS event source\'s MaximumConcurrency, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html), got 1' },
      { code: 'value_out_of_range', path: 'pools.thumbnails.timeout', message: 'timeout must be between 1s and 900s (one job runs in one Lambda invocation, 15 minutes at most), got "20m"' },
      { code: 'value_out_of_range', path: 'pools.thumbnails.recovery.max_restarts', message: 'max_restarts must be between 0 and 999: max_restarts + 1 is the queue\'s maxReceiveCount, and below 1 every job would go to the dead-letter queue on its first receive; got -1' },
      { code: 'value_out_of_range', path: 'pools.resize.priorities', message: 'lane shares must add up to 100 (percent of max_size), got 110' },
      { code: 'value_out_of_range', path: 'pools.crop.priorities.normal', message: 'lane normal gets 1 of max_size 4; each lane is an SQS event source of its own, whose MaximumConcurrency is at least 2 (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html): raise max_size or the lane\'s share' },
      { code: 'value_out_of_range', path: 'pools.crop.priorities.low', message: 'lane low gets 1 of max_size 4; each lane is an SQS event source of its own, whose MaximumConcurrency is at least 2 (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html): raise max_size or the lane\'s share' },
    ]);
  });

  it('reports a pool size inherited from process_management at the shared block', () => {
    const text = `process_management:\n  pool: { min_size: 0, max_size: 1 }\n${POOL}${WORKFLOW}`;

    expect(problems(text).map((p) => [p.code, p.path])).toEqual([['value_out_of_range', 'process_management.pool.max_size']]);
  });

  it('reports a missing handler and misspelt keys of a pool', () => {
    const text = `pools:\n  thumbnails:\n    handler: ./missing.ts#run\n    max_sise: 4\n${WORKFLOW}`;

    expect(problems(text).map((p) => [p.code, p.path])).toEqual([
      ['unknown_key', 'pools.thumbnails.max_sise'],
      ['handler_not_found', 'pools.thumbnails.handler'],
    ]);
  });

  it('runs a task with pool: as a job of that pool, in its first lane unless priority names another', () => {
    const text = `${POOL}    max_size: 4\n    priorities: { high: 50, normal: 50 }\nworkflow:\n  tasks:\n    - name: shrink\n      pool: thumbnails\n    - name: crop\n      pool: thumbnails\n      priority: normal\n`;

    const { definition, diagnostics } = parseDefinition(text, file, 'example.yaml');

    expect(diagnostics).toEqual([]);
    expect(definition?.tasks.map((t) => [t.name, t.pool, t.handler])).toEqual([
      ['shrink', { pool: 'thumbnails', lane: 'high' }, undefined],
      ['crop', { pool: 'thumbnails', lane: 'normal' }, undefined],
    ]);
  });

  it('reports tasks naming an unknown pool or lane', () => {
    const text = `${POOL}workflow:\n  tasks:\n    - name: shrink\n      pool: thumbnail\n    - name: crop\n      pool: thumbnails\n      priority: urgent\n    - name: fetch_records\n      priority: high\n`;

    expect(problems(text)).toEqual([
      { code: 'unknown_pool', path: 'workflow.tasks.0.pool', message: 'unknown pool "thumbnail" (declared: thumbnails)' },
      { code: 'unknown_pool', path: 'workflow.tasks.1.priority', message: 'pool "thumbnails" has no lane "urgent" (lanes: normal)' },
      { code: 'invalid_value', path: 'workflow.tasks.2.priority', message: 'task "fetch_records" has a priority but no pool; priority picks a lane of the task\'s pool' },
    ]);
  });
});
