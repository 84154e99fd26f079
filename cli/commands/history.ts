import { parse, UsageError } from '../args.ts';
import type { CliIo } from '../io.ts';
import { getJson, runningApiUrl } from '../running-stack.ts';

interface HistoryEvent {
  readonly id: number;
  readonly previousEventId?: number;
  readonly type: string;
  readonly timestamp: string;
  readonly [details: string]: unknown;
}

/**
 * `stepflow history <executionId> [--workflow NAME] [--url URL] [--data-dir DIR] [--json]`: the Step Functions
 * events of one execution (GetExecutionHistory), from the running dev stack's API. Exit 1 when the execution
 * is unknown or no stack answers.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { workflow: { type: 'string' }, url: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
  const [executionId] = positionals;
  if (!executionId) throw new UsageError('an execution id is required');
  const api = runningApiUrl(values.url, values['data-dir'] ?? '.stepflow');
  try {
    const workflow = values.workflow ?? (await workflowOf(api, executionId));
    if (!workflow) {
      io.err(`no execution "${executionId}" in any workflow served at ${api}\n`);
      return 1;
    }
    const events = await wholeHistory(api, workflow, executionId);
    if (!events) {
      io.err(`no execution "${executionId}" of ${workflow} at ${api}\n`);
      return 1;
    }
    for (const event of events) io.out((values.json ? JSON.stringify(event) : readableLine(event)) + '\n');
    return 0;
  } catch (error) {
    // An unreachable stack, or an API that answers with an error (e.g. 501 without histories): one line.
    io.err(`✖ ${(error as Error).message}\n`);
    return 1;
  }
}

function executionPath(api: string, workflow: string, id: string): string {
  return `${api}/workflows/${encodeURIComponent(workflow)}/executions/${encodeURIComponent(id)}`;
}

/** The workflow that has this execution: each served workflow is asked in turn. */
async function workflowOf(api: string, executionId: string): Promise<string | undefined> {
  const listed = await getJson<{ items: { name: string }[] }>(`${api}/workflows`);
  for (const { name } of listed?.items ?? []) {
    if (await getJson(executionPath(api, name, executionId))) return name;
  }
  return undefined;
}

async function wholeHistory(api: string, workflow: string, executionId: string): Promise<HistoryEvent[] | undefined> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const query = `limit=1000${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
    const page = await getJson<{ events: HistoryEvent[]; nextToken?: string }>(`${executionPath(api, workflow, executionId)}/history?${query}`);
    if (!page) return undefined;
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** `  4  12:00:01.204  TaskStateEntered  extract` and, for failures, the error and cause. */
export function readableLine(event: HistoryEvent): string {
  const detailsKey = Object.keys(event).find((k) => k.endsWith('EventDetails'));
  const details = (detailsKey ? event[detailsKey] : undefined) as Record<string, unknown> | undefined;
  const time = event.timestamp.slice(11, 23);
  const parts = [String(event.id).padStart(4), time, event.type.padEnd(28)];
  if (typeof details?.name === 'string') parts.push(details.name);
  if (typeof details?.error === 'string') parts.push(`${details.error}${typeof details.cause === 'string' ? `: ${details.cause.slice(0, 200)}` : ''}`);
  return parts.join('  ').trimEnd();
}
