import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
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
  it('sets no HeartbeatSeconds, so a job waiting in its queue (no worker beats for it yet) is not failed with States.HeartbeatTimeout', () => {
    const text = `pools:
  renders:
    handler: ../functions/jobs/make_thumbnail.ts#handler
    max_size: 4
    timeout: 900s
workflow:
  name: render
  tasks:
    - name: render
      pool: renders
      timeout: 600s
`;
    const { definition, diagnostics } = loadDefinitionText(text, file, 'render.yaml');
    expect(diagnostics).toEqual([]);

    const state = compileWorkflow(definition!).asl.States.render;

    expect(state).toMatchObject({ Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', TimeoutSeconds: 600 });
    expect(state).not.toHaveProperty('HeartbeatSeconds');
  });
});
