import { DEFAULT_CALLBACK_EVENT_SOURCE } from './callback-channel-schema.ts';
import type { DefinitionPath, DiagnosticCode, Severity } from './diagnostics.ts';
import type { DefinitionFile, TaskSpec } from './schema.ts';

/**
 * How a `type: callback` task hands out its task token: `http` POSTs the task event to its service,
 * `event` puts it on an EventBridge bus (`events:putEvents.waitForTaskToken`), `sqs` sends it to a queue
 * (`sqs:sendMessage.waitForTaskToken`). Whoever receives it answers POST /callbacks/{token}.
 */
export type CallbackChannel =
  | { readonly kind: 'http' }
  /** `bus` undefined: the project's bus (the one event triggers use). */
  | { readonly kind: 'event'; readonly bus?: string; readonly source: string; readonly detailType: string }
  /** `queue` undefined: a queue the stack creates for this task. */
  | { readonly kind: 'sqs'; readonly queue?: SqsQueueRef };

export interface SqsQueueRef {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
}


const QUEUE_URL = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;
const QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;
const BUS_NAME = /^[A-Za-z0-9._/-]{1,256}$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._/-]{1,256}$/;

/** An SQS queue named by URL or ARN, as both (the state sends to the URL, the grant names the ARN). */
export function sqsQueueRef(value: string): SqsQueueRef | undefined {
  const url = QUEUE_URL.exec(value);
  if (url) {
    const [, region, account, name] = url;
    const partition = value.includes('.amazonaws.com.cn/') ? 'aws-cn' : 'aws';
    return { url: value, arn: `arn:${partition}:sqs:${region}:${account}:${name}`, name };
  }
  const arn = QUEUE_ARN.exec(value);
  if (arn) {
    const [, partition, region, account, name] = arn;
    return { url: `https://sqs.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}/${account}/${name}`, arn: value, name };
  }
  return undefined;
}

export function callbackChannelOf(task: TaskSpec, workflow: string): CallbackChannel | undefined {
  if (task.type !== 'callback') return undefined;
  const via = task.via ?? 'http';
  if (via === 'event') {
    return {
      kind: 'event',
      ...(task.event?.bus !== undefined ? { bus: task.event.bus } : {}),
      source: task.event?.source ?? DEFAULT_CALLBACK_EVENT_SOURCE,
      detailType: task.event?.detail_type ?? `${workflow}.${task.name}`,
    };
  }
  if (via === 'sqs') {
    const queue = task.queue === undefined ? undefined : sqsQueueRef(task.queue);
    return { kind: 'sqs', ...(queue ? { queue } : {}) };
  }
  return { kind: 'http' };
}

type Report = (code: DiagnosticCode, path: DefinitionPath, message: string, severity?: Severity) => void;

/** `event` and `queue` belong to their channel; `via: event`/`sqs` send no HTTP request, so name no service. */
export function validateCallbackChannels(spec: DefinitionFile, report: Report): void {
  (spec.workflow.tasks ?? []).forEach((task, i) => {
    const at = (...rest: (string | number)[]): DefinitionPath => ['workflow', 'tasks', i, ...rest];
    const via = task.type === 'callback' ? (task.via ?? 'http') : undefined;
    if (task.event !== undefined && via !== 'event') report('invalid_value', at('event'), `"event" applies to a callback task with via: event; task "${task.name}" ${via ? `is via: ${via}` : `is a ${task.type ?? 'function'} task`}`);
    if (task.queue !== undefined && via !== 'sqs') report('invalid_value', at('queue'), `"queue" applies to a callback task with via: sqs; task "${task.name}" ${via ? `is via: ${via}` : `is a ${task.type ?? 'function'} task`}`);
    if (via !== 'event' && via !== 'sqs') return;
    for (const key of ['service', 'services'] as const) {
      if (task[key] !== undefined) report('invalid_value', at(key), `task "${task.name}" sends its token via: ${via}, not to a service: "${key}" does not apply`);
    }
    if (via === 'sqs' && task.queue !== undefined && !sqsQueueRef(task.queue)) {
      report('invalid_value', at('queue'), `queue must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>) or ARN (arn:aws:sqs:<region>:<account>:<name>), got ${JSON.stringify(task.queue)}`);
    }
    const bus = task.event?.bus;
    if (bus !== undefined && !BUS_NAME.test(bus) && !BUS_ARN.test(bus)) {
      report('invalid_name', at('event', 'bus'), `event bus must be a name (letters, digits, . _ / -, at most 256) or an event bus ARN, got ${JSON.stringify(bus)}`);
    }
    // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html: DetailType at most 128 characters; `aws.` sources are AWS's own.
    if (task.event?.source?.startsWith('aws.')) report('invalid_value', at('event', 'source'), `source ${JSON.stringify(task.event.source)} starts with "aws.", which EventBridge keeps for AWS services`);
    const detailType = task.event?.detail_type ?? `${spec.workflow.name ?? ''}.${task.name}`;
    if (detailType.length > 128) report('value_out_of_range', task.event?.detail_type ? at('event', 'detail_type') : at('name'), `detail_type must be at most 128 characters, got ${detailType.length}`);
  });
}
