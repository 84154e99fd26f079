import { BadRequest } from '../../core/errors.ts';
import { ExecutionDoesNotExist, GetExecutionHistoryCommand, InvalidArn, InvalidToken, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';

export type { HistoryEvent } from '@aws-sdk/client-sfn';

export interface HistoryPageRequest {
  /** 1 to 1000. */
  readonly limit: number;
  readonly nextToken?: string;
  /** Newest first. @default false */
  readonly reverse?: boolean;
}

export interface HistoryPage {
  readonly events: readonly HistoryEvent[];
  readonly nextToken?: string;
}

/** An execution's history: GetExecutionHistory, on AWS and offline alike. */
export interface ExecutionHistoryReader {
  /** A page of events; undefined when Step Functions has no such execution. */
  page(executionArn: string, request: HistoryPageRequest): Promise<HistoryPage | undefined>;
}

/** The most events read to build an execution's task states (Step Functions caps a history at 25,000). */
const MAX_EVENTS_FOR_TASKS = 25_000;

export class SfnHistoryReader implements ExecutionHistoryReader {
  constructor(private readonly client: SFNClient) {}

  async page(executionArn: string, request: HistoryPageRequest): Promise<HistoryPage | undefined> {
    try {
      const answer = await this.client.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: request.limit, nextToken: request.nextToken, reverseOrder: request.reverse ?? false }),
      );
      return { events: answer.events ?? [], ...(answer.nextToken ? { nextToken: answer.nextToken } : {}) };
    } catch (error) {
      // A record whose ARN Step Functions never gave (an older record, a test double) has no history either.
      if (error instanceof ExecutionDoesNotExist || error instanceof InvalidArn) return undefined;
      if (error instanceof InvalidToken) throw new BadRequest('nextToken is not one this history gave', { code: 'invalid_request' });
      throw error;
    }
  }
}

/** Every event of an execution, oldest first; none when Step Functions does not know it. */
export async function wholeHistory(reader: ExecutionHistoryReader, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await reader.page(executionArn, { limit: 1000, nextToken });
    if (!page) return events;
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken && events.length < MAX_EVENTS_FOR_TASKS);
  return events;
}
