import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { POOLED_TASK_HEARTBEAT_SECONDS, poolHeartbeat } from '../../../core/definition/pool-heartbeat.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';

const file = resolve('definitions/example.yaml');

describe('compileWorkflow with a pooled task', () => {
  it('sends the task event to the lane\'s queue and waits for the worker to answer with the task token', () => {
    const text = `pools:
  thumbnails:
    handler: ../functions/jobs/make_thumbnail.ts#handler
    max_size: 4
    priorities: { high: 50, normal: 50 }
workflow:
  name: shrink
  tasks:
    - name: list_images
    - name: make_thumbnail
      pool: thumbnails
      priority: normal
      depends_on: [list_images]
      timeout: 60s
`;
    const { definition, diagnostics } = loadDefinitionText(text, file, 'example.yaml');
    expect(diagnostics).toEqual([]);

    const plan = compileWorkflow(definition!);

    expect(plan.asl.States.make_thumbnail).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: '${PoolQueue_thumbnails_normal}',
        MessageBody: {
          pool: 'thumbnails',
          lane: 'normal',
          'taskToken.$': '$$.Task.Token',
          payload: {
            task: 'make_thumbnail',
            workflow: 'shrink',
            'execution.$': '$$.Execution.Id',
            'attempt.$': '$$.State.RetryCount',
            'input.$': '$$.Execution.Input',
            'results.$': '$',
          },
        },
      },
      ResultPath: '$.make_thumbnail',
      TimeoutSeconds: 60,
      End: true,
    });
    expect(plan.taskStates.make_thumbnail).toEqual({ task: 'make_thumbnail', kind: 'pool', placeholder: 'PoolQueue_thumbnails_normal' });
    expect(plan.functions.map((f) => f.id)).toEqual(['list_images']);
    expect(plan.pools?.map((p) => p.name)).toEqual(['thumbnails']);
  });
});

describe('compileWorkflow with a pooled task whose job may run past a minute', () => {
  const text = (timeout: string) => `pools:
  renders:
    handler: ../functions/jobs/make_thumbnail.ts#handler
    max_size: 4
    timeout: 900s
workflow:
  name: render
  tasks:
    - name: render
      pool: renders
      timeout: ${timeout}
`;

  it('watches it by the worker\'s heartbeats: HeartbeatSeconds well above the worker\'s beat interval, below the task timeout', () => {
    const { definition, diagnostics } = loadDefinitionText(text('600s'), file, 'render.yaml');
    expect(diagnostics).toEqual([]);

    const state = compileWorkflow(definition!).asl.States.render as { HeartbeatSeconds?: number; TimeoutSeconds?: number };

    expect(state.HeartbeatSeconds).toBe(POOLED_TASK_HEARTBEAT_SECONDS);
    expect(state.HeartbeatSeconds).toBeLessThan(state.TimeoutSeconds!);
    // The longest beat interval fits several times, with a stalled job's takeover.
    expect(poolHeartbeat(900).intervalSeconds * 3 + poolHeartbeat(900).stallSeconds).toBeLessThanOrEqual(POOLED_TASK_HEARTBEAT_SECONDS);
  });

  it('leaves a job of a minute or less to its TimeoutSeconds alone', () => {
    const { definition } = loadDefinitionText(text('60s'), file, 'render.yaml');

    expect(compileWorkflow(definition!).asl.States.render).not.toHaveProperty('HeartbeatSeconds');
  });
});
