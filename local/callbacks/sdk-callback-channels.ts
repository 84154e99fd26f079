import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CallbackChannels } from '../engine/callback-sender.ts';

export interface SdkCallbackChannelsProps {
  /** A client on the offline EventBridge (the dev stack's emulator). */
  readonly eventBridge: () => EventBridgeClient;
  /** A client on the offline SQS (fauxqs). */
  readonly sqs: () => SQSClient;
}

/**
 * Offline callbacks through the same API calls Step Functions makes: PutEvents to the local EventBridge,
 * SendMessage to fauxqs. A queue is looked up by name and created the first time a callback sends to
 * it (on AWS the stack creates it, or the definition names an existing one).
 */
export function sdkCallbackChannels(props: SdkCallbackChannelsProps): CallbackChannels {
  const queueUrls = new Map<string, Promise<string>>();
  const queueUrl = (name: string): Promise<string> => {
    let url = queueUrls.get(name);
    if (!url) {
      url = (async () => {
        try {
          return (await props.sqs().send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
        } catch {
          return (await props.sqs().send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
        }
      })();
      url.catch(() => queueUrls.delete(name));
      queueUrls.set(name, url);
    }
    return url;
  };
  return {
    async putEvents(entries) {
      const answer = await props.eventBridge().send(new PutEventsCommand({ Entries: entries.map((e) => ({ ...e })) }));
      return answer.Entries ?? [];
    },
    async sendMessage(name, body) {
      await props.sqs().send(new SendMessageCommand({ QueueUrl: await queueUrl(name), MessageBody: body }));
    },
  };
}
