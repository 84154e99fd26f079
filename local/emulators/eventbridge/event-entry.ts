import { randomUUID } from 'node:crypto';

export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** JSON text of an object. */
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  /** @default now */
  readonly Time?: Date;
  /** Name or ARN. @default 'default' */
  readonly EventBusName?: string;
}

export type PutEventsResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

/** The event as rules match it and targets receive it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html). */
export interface EventEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface EntryContext {
  readonly region: string;
  readonly account: string;
  readonly now: Date;
  readonly busExists: (bus: string) => boolean;
}

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html and the service quotas. */
export const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_DETAIL_TYPE = 128;

/** One PutEvents entry validated as EventBridge does, and the event it becomes on its bus; or why it failed. */
export function acceptEntry(entry: PutEventsEntry, context: EntryContext): { readonly bus: string; readonly event: EventEnvelope } | { readonly ErrorCode: string; readonly ErrorMessage: string } {
  const fail = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });
  if (!entry.Source || !entry.DetailType || entry.Detail === undefined) return fail('InvalidArgument', 'Parameters Detail, DetailType, and Source are required.');
  const bus = busNameOf(entry.EventBusName);
  if (!context.busExists(bus)) return fail('NotFoundException', `Event bus ${bus} does not exist.`);
  if (entry.DetailType.length > MAX_DETAIL_TYPE) return fail('InvalidArgument', `DetailType is longer than ${MAX_DETAIL_TYPE} characters.`);
  if (entry.Source.startsWith('aws.')) return fail('NotAuthorizedForSourceException', `Not authorized for the source ${entry.Source}.`);
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
  const size = 14 + Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail) + (entry.Resources ?? []).reduce((n, r) => n + Buffer.byteLength(r), 0);
  if (size > MAX_ENTRY_BYTES) return fail('InvalidArgument', `Event entry is ${size} bytes; the limit is ${MAX_ENTRY_BYTES}.`);
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return fail('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return fail('MalformedDetail', 'Detail is malformed.');
  return {
    bus,
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: context.account,
      time: isoSeconds(entry.Time ? new Date(entry.Time) : context.now),
      region: context.region,
      resources: [...(entry.Resources ?? [])],
      detail: detail as Record<string, unknown>,
    },
  };
}

/** A bus given by name or by ARN (`arn:aws:events:...:event-bus/<name>`). */
export function busNameOf(name: string | undefined): string {
  if (!name) return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(name);
  return arn ? arn[1] : name;
}

/** EventBridge event times are whole seconds: `2017-12-22T18:43:48Z`. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
