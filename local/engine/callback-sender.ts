import { EVENTBRIDGE_FAILED_ENTRY, PROJECT_BUS_PLACEHOLDER } from '../../core/compiler/states/callback.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { LambdaHandler } from './handler-loader.ts';

/** The in-process "function" of callbacks' `events:putEvents` and `sqs:sendMessage` `.waitForTaskToken` states. */
export const CALLBACK_SENDER: HandlerRef = { file: 'stepflow:callback-sender', exportName: 'send' };

/** One PutEvents entry as the state's Parameters carry it (Detail still an object). */
export interface CallbackEventEntry {
  readonly Detail: unknown;
  readonly DetailType: string;
  readonly EventBusName: string;
  readonly Source: string;
}

/** Where offline callbacks go: the local EventBridge and SQS (the dev stack passes its emulators). */
export interface CallbackChannels {
  /** PutEvents; resolves to the entries the bus did not take (FailedEntryCount of them), each with its error. */
  putEvents(entries: readonly { readonly Detail: string; readonly DetailType: string; readonly EventBusName: string; readonly Source: string }[]): Promise<readonly { readonly ErrorCode?: string; readonly ErrorMessage?: string }[]>;
  /** SendMessage to the queue of that name (created when it does not exist yet). */
  sendMessage(queueName: string, body: string): Promise<void>;
}

/**
 * Receives the state's Parameters, `{ Entries }` or `{ QueueUrl, MessageBody }`, and hands them to the
 * offline channels as Step Functions would to EventBridge or SQS: the object Detail and MessageBody as their
 * JSON text, the project bus placeholder as the project bus, a queue by its name (the created queue's
 * placeholder, `CallbackQueue_<workflow>_<task>`, or the last part of the URL the definition gives). A
 * non-zero FailedEntryCount fails the state with EventBridge.FailedEntry
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html).
 */
export function callbackSenderHandler(channels: CallbackChannels | undefined, projectBus: string): LambdaHandler {
  return async (event) => {
    if (!channels) throw Object.assign(new Error('no offline EventBridge or SQS takes this callback: run the workflow under the dev stack (npm start), where the event or message is delivered and POST /callbacks/{token} answers it'), { name: 'CallbackChannelUnavailable' });
    const parameters = (event ?? {}) as { Entries?: CallbackEventEntry[]; QueueUrl?: string; MessageBody?: unknown };
    if (parameters.Entries) {
      const entries = parameters.Entries.map((entry) => ({
        Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail),
        DetailType: entry.DetailType,
        EventBusName: entry.EventBusName.endsWith(`-${PROJECT_BUS_PLACEHOLDER}`) ? projectBus : entry.EventBusName,
        Source: entry.Source,
      }));
      const failed = (await channels.putEvents(entries)).filter((r) => r.ErrorCode);
      if (failed.length > 0) {
        throw Object.assign(new Error(failed.map((r) => `${r.ErrorCode}: ${r.ErrorMessage ?? ''}`).join('; ')), { name: EVENTBRIDGE_FAILED_ENTRY });
      }
      return { FailedEntryCount: 0 };
    }
    const queueName = String(parameters.QueueUrl ?? '').split(/[/:]/).at(-1)!.replace(/^stepflow-(?=CallbackQueue_)/, '');
    if (!queueName) throw new Error(`callback QueueUrl ${parameters.QueueUrl} names no queue`);
    const body = parameters.MessageBody;
    await channels.sendMessage(queueName, typeof body === 'string' ? body : JSON.stringify(body));
    return null;
  };
}
