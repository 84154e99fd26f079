import { describe, expect, it } from 'vitest';
import { workflowMermaid } from '../../../core/compiler/mermaid.ts';
import { hasCallbacks } from '../../../core/compiler/callbacks.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { ECHO, FILE, compile, definitionOf, payload, stateOf } from './support.ts';

const partners = `workflow:
  name: example
  tasks:
    - { name: build, handler: ${ECHO} }
    - { name: ask_bus, type: callback, via: event, timeout: 1h, heartbeat: 5m, depends_on: [build] }
    - name: ask_named
      type: callback
      via: event
      event: { bus: partner-bus, source: shop.orders, detail_type: ChargeRequested }
      depends_on: [ask_bus]
    - { name: ask_queue, type: callback, via: sqs, depends_on: [ask_named] }
    - { name: ask_existing, type: callback, via: sqs, queue: "arn:aws:sqs:eu-west-1:123456789012:partner-in", depends_on: [ask_queue] }
`;

describe('callbacks via event and sqs', () => {
  it('via event: events:putEvents.waitForTaskToken, one entry whose Detail is the task event with the token', () => {
    const { asl, taskStates, services } = compile(partners);
    expect(stateOf(asl.States, 'ask_bus', 'Task')).toMatchObject({
      Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
      Parameters: {
        Entries: [{
          Detail: { ...payload('ask_bus', false), 'token.$': '$$.Task.Token' },
          DetailType: 'example.ask_bus',
          EventBusName: '${ProjectEventBus}',
          Source: 'stepflow.callback',
        }],
      },
      TimeoutSeconds: 3600,
      HeartbeatSeconds: 300,
      ResultPath: '$.ask_bus',
    });
    expect(stateOf(asl.States, 'ask_named', 'Task').Parameters).toMatchObject({ Entries: [{ DetailType: 'ChargeRequested', EventBusName: 'partner-bus', Source: 'shop.orders' }] });
    expect(taskStates.ask_bus).toEqual({ task: 'ask_bus', kind: 'event', placeholder: 'ProjectEventBus', channel: { kind: 'event' } });
    expect(taskStates.ask_named).toMatchObject({ kind: 'event', channel: { kind: 'event', bus: 'partner-bus' } });
    // No service is called, so none is referenced and no Lambda retrier applies.
    expect(services).toEqual([]);
    expect(JSON.stringify(stateOf(asl.States, 'ask_bus', 'Task').Retry ?? [])).not.toContain('Lambda.');
  });

  it('via sqs: sqs:sendMessage.waitForTaskToken to the created queue, or to the queue the definition names (an ARN made a URL)', () => {
    const { asl, taskStates } = compile(partners);
    expect(stateOf(asl.States, 'ask_queue', 'Task')).toMatchObject({
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: '${CallbackQueue_example_ask_queue}', MessageBody: { ...payload('ask_queue', false), 'token.$': '$$.Task.Token' } },
    });
    expect(stateOf(asl.States, 'ask_existing', 'Task').Parameters).toMatchObject({ QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/partner-in' });
    expect(taskStates.ask_existing.channel).toEqual({ kind: 'queue', queue: { url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/partner-in', arn: 'arn:aws:sqs:eu-west-1:123456789012:partner-in', name: 'partner-in' } });
    expect(taskStates.ask_queue).toMatchObject({ kind: 'queue', placeholder: 'CallbackQueue_example_ask_queue' });
  });

  it('count as callbacks answered through the API', () => {
    expect(hasCallbacks(compile(partners))).toBe(true);
  });

  it('stepflow graph names the channel: bus and detail-type, or queue', () => {
    const graph = workflowMermaid(definitionOf(partners));
    expect(graph).toContain('callback via event: project bus, example.ask_bus');
    expect(graph).toContain('callback via event: partner-bus, ChargeRequested');
    expect(graph).toContain('callback via sqs: its own queue');
    expect(graph).toContain('callback via sqs: partner-in');
  });

  it('refuses misplaced and malformed channel settings, with file, path and line', () => {
    const { diagnostics } = loadDefinitionText(`workflow:
  name: example
  tasks:
    - { name: a, handler: ${ECHO}, queue: "https://sqs.us-east-1.amazonaws.com/123456789012/q" }
    - { name: b, type: callback, via: sqs, queue: not-a-queue }
    - { name: c, type: callback, via: event, service: partner }
    - { name: d, type: callback, via: http, service: partner, event: { source: x } }
    - { name: e, type: callback, via: event, event: { bus: "bad bus!", source: aws.partner } }
`, FILE);
    const found = diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.path.join('.'), d.message]);
    expect(found).toEqual(expect.arrayContaining([
      [4, 'workflow.tasks.0.queue', expect.stringContaining('"queue" applies to a callback task with via: sqs')],
      [5, 'workflow.tasks.1.queue', expect.stringContaining('queue must be an SQS queue URL')],
      [6, 'workflow.tasks.2.service', expect.stringContaining('sends its token via: event, not to a service')],
      [7, 'workflow.tasks.3.event', expect.stringContaining('"event" applies to a callback task with via: event')],
      [8, 'workflow.tasks.4.event.bus', expect.stringContaining('event bus must be a name')],
      [8, 'workflow.tasks.4.event.source', expect.stringContaining('starts with "aws."')],
    ]));
    expect(found).toHaveLength(6);
    expect(diagnostics.every((d) => d.file === FILE)).toBe(true);
  });
});
