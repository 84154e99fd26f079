import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { MAX_PAYLOAD_BYTES } from '../../core/asl/limits.ts';
import { BadRequest } from '../../core/errors.ts';
import { type CreateResult, type ExecutionPage, type ExecutionRecord, type ExecutionStore, type ExecutionSummary, type ListOptions, type NewExecution, type StatusChange } from './execution-store.ts';
import { isTerminal, type ExecutionStatus } from '../../core/contracts/execution-status.ts';
import { BY_STATUS_INDEX, BY_WORKFLOW_INDEX, TABLE_KEYS } from '../../core/contracts/table-keys.ts';

/** DynamoDB's item size limit is 400 KB; keep a margin for keys and the other attributes. */
const ITEM_PAYLOAD_BUDGET = 380_000;
const DEFAULT_LIMIT = 20;
const ENTITY_SK = 'EXECUTION';

type Item = Record<string, unknown>;

export interface DynamoDbExecutionStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * ExecutionStore on one DynamoDB table, one item per execution, conditional writes only (dynalite, the
 * offline stand-in, has neither transactions nor TTL).
 *
 * Status changes may arrive out of order and more than once (EventBridge delivers at least once, in no
 * guaranteed order: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html).
 * Each item carries `redriveCount` and a `statusRank` (1 running, 2 terminal); a change applies only
 * when it is not older than what is stored, which makes every write idempotent.
 */
export class DynamoDbExecutionStore implements ExecutionStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(props: DynamoDbExecutionStoreProps) {
    this.client = props.client;
    this.tableName = props.tableName;
  }

  async create(execution: NewExecution): Promise<CreateResult> {
    const sortKey = `${execution.startDate}#${execution.executionId}`;
    const item: Item = {
      ...this.key(execution.workflow, execution.executionId),
      [BY_STATUS_INDEX.partitionKey]: statusPartition(execution.workflow, 'RUNNING'),
      [BY_STATUS_INDEX.sortKey]: sortKey,
      [BY_WORKFLOW_INDEX.partitionKey]: execution.workflow,
      [BY_WORKFLOW_INDEX.sortKey]: sortKey,
      workflow: execution.workflow,
      executionId: execution.executionId,
      executionArn: execution.executionArn,
      status: 'RUNNING',
      statusRank: statusRank('RUNNING'),
      redriveCount: 0,
      input: JSON.stringify(execution.input ?? null),
      inputHash: execution.inputHash,
      startDate: execution.startDate,
    };
    // Two rounds at most: the existing record may be discarded between the failed put and the read.
    for (let round = 0; ; round++) {
      try {
        await this.client.send(
          new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey } }),
        );
        return { created: true, record: toRecord(item) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = await this.get(execution.workflow, execution.executionId);
        if (existing) return { created: false, existing };
        if (round > 0) throw error;
      }
    }
  }

  async recordStatus(change: StatusChange): Promise<boolean> {
    const redriveCount = change.redriveCount ?? 0;
    const sortKey = `${change.startDate}#${change.executionId}`;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const set: string[] = [];
    const remove: string[] = [];
    const name = (attribute: string): string => {
      names[`#${attribute}`] = attribute;
      return `#${attribute}`;
    };
    const assign = (attribute: string, value: unknown, onlyIfMissing = false): void => {
      values[`:${attribute}`] = value;
      const target = name(attribute);
      set.push(onlyIfMissing ? `${target} = if_not_exists(${target}, :${attribute})` : `${target} = :${attribute}`);
    };
    const assignOrRemove = (attribute: string, value: unknown): void => {
      if (value === undefined) remove.push(name(attribute));
      else assign(attribute, value);
    };

    assign('workflow', change.workflow);
    assign('executionId', change.executionId);
    assign('executionArn', change.executionArn);
    assign('status', change.status);
    assign('statusRank', statusRank(change.status));
    assign('redriveCount', redriveCount);
    assign('startDate', change.startDate, true);
    assign(BY_STATUS_INDEX.partitionKey, statusPartition(change.workflow, change.status));
    assign(BY_STATUS_INDEX.sortKey, sortKey, true);
    assign(BY_WORKFLOW_INDEX.partitionKey, change.workflow);
    assign(BY_WORKFLOW_INDEX.sortKey, sortKey, true);
    if (change.input !== undefined) assign('input', change.input, true);
    assignOrRemove('stopDate', change.stopDate);
    assignOrRemove('error', change.error);
    assignOrRemove('cause', change.cause);
    const inputBytes = change.input === undefined ? MAX_PAYLOAD_BYTES : Buffer.byteLength(change.input);
    const output = change.output;
    const outputFits = output === undefined || Buffer.byteLength(output) <= ITEM_PAYLOAD_BUDGET - inputBytes;
    assignOrRemove('output', outputFits ? output : undefined);
    assignOrRemove('outputTruncated', outputFits ? undefined : true);

    values[':change_rc'] = redriveCount;
    values[':change_rank'] = statusRank(change.status);
    const pk = name(TABLE_KEYS.partitionKey);
    const rc = name('redriveCount');
    const rank = name('statusRank');
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(change.workflow, change.executionId),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          // A change applies only if it moves the record forward: a RUNNING event for a record the API
          // already created adds nothing, and a second terminal event never replaces the first.
          ConditionExpression: `attribute_not_exists(${pk}) OR ${rc} < :change_rc OR (${rc} = :change_rc AND ${rank} < :change_rank)`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async recordArn(workflow: string, executionId: string, executionArn: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(workflow, executionId),
          UpdateExpression: 'SET #arn = :arn',
          // A status change may have set the ARN (and more) first; never create a record here.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#arn': 'executionArn', '#pk': TABLE_KEYS.partitionKey },
          ExpressionAttributeValues: { ':arn': executionArn },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async discard(workflow: string, executionId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: this.key(workflow, executionId),
          // Only a record no status change has touched yet: never one of a started execution.
          ConditionExpression: '#status = :running AND #rc = :zero AND attribute_not_exists(#stop)',
          ExpressionAttributeNames: { '#status': 'status', '#rc': 'redriveCount', '#stop': 'stopDate' },
          ExpressionAttributeValues: { ':running': 'RUNNING', ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async get(workflow: string, executionId: string): Promise<ExecutionRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(workflow, executionId), ConsistentRead: true }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async list(workflow: string, options: ListOptions = {}): Promise<ExecutionPage> {
    const index = options.status ? BY_STATUS_INDEX : BY_WORKFLOW_INDEX;
    const partition = options.status ? statusPartition(workflow, options.status) : workflow;
    const startKey = options.nextToken === undefined ? undefined : decodeToken(options.nextToken, index, partition);
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: options.limit ?? DEFAULT_LIMIT,
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      items: (result.Items ?? []).map(toSummary),
      ...(result.LastEvaluatedKey ? { nextToken: encodeToken(result.LastEvaluatedKey) } : {}),
    };
  }

  /**
   * Writes the record as `change` has it, whatever is stored, keeping the stored input and its hash: for
   * a store whose item and index writes may disagree after a crash (dynalite writes the index entries,
   * then the item), putting the whole item again rewrites every index entry. The offline stack uses it
   * at start for executions its engine's journal knows better than the store.
   */
  async rewrite(change: StatusChange): Promise<void> {
    const existing = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.key(change.workflow, change.executionId), ConsistentRead: true }));
    const stored = existing.Item ?? {};
    const input = (stored.input as string | undefined) ?? change.input;
    const inputBytes = input === undefined ? 0 : Buffer.byteLength(input);
    const outputFits = change.output === undefined || Buffer.byteLength(change.output) <= ITEM_PAYLOAD_BUDGET - inputBytes;
    const item: Item = {
      // The stored start date: the index sort keys are made of it, and must stay those of the entries to rewrite.
      ...this.indexedItem(change.workflow, change.executionId, (stored.startDate as string | undefined) ?? change.startDate, change.status),
      executionArn: change.executionArn,
      statusRank: statusRank(change.status),
      redriveCount: change.redriveCount ?? 0,
      ...(input !== undefined ? { input } : {}),
      ...(stored.inputHash !== undefined ? { inputHash: stored.inputHash } : {}),
      ...(change.stopDate !== undefined ? { stopDate: change.stopDate } : {}),
      ...(change.error !== undefined ? { error: change.error } : {}),
      ...(change.cause !== undefined ? { cause: change.cause } : {}),
      ...(change.output !== undefined && outputFits ? { output: change.output } : {}),
      ...(outputFits ? {} : { outputTruncated: true }),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /**
   * Removes an execution that never started and every index entry of it, even entries whose item is
   * missing (a crash between dynalite's index and item writes): the item is put first, so the delete
   * finds the entries to remove.
   */
  async forget(workflow: string, executionId: string, startDate: string): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.indexedItem(workflow, executionId, startDate, 'RUNNING') }));
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(workflow, executionId) }));
  }

  /** Every listed execution of a workflow, following pages (the offline stack's check at start). */
  async listAll(workflow: string): Promise<ExecutionSummary[]> {
    const items: ExecutionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.list(workflow, { limit: 1000, nextToken });
      items.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return items;
  }

  /** Keys, index keys and listed attributes of an execution in a status. */
  private indexedItem(workflow: string, executionId: string, startDate: string, status: ExecutionStatus): Item {
    const sortKey = `${startDate}#${executionId}`;
    return {
      ...this.key(workflow, executionId),
      [BY_STATUS_INDEX.partitionKey]: statusPartition(workflow, status),
      [BY_STATUS_INDEX.sortKey]: sortKey,
      [BY_WORKFLOW_INDEX.partitionKey]: workflow,
      [BY_WORKFLOW_INDEX.sortKey]: sortKey,
      workflow,
      executionId,
      status,
      startDate,
    };
  }

  private key(workflow: string, executionId: string): Item {
    return { [TABLE_KEYS.partitionKey]: `EXECUTION#${workflow}#${executionId}`, [TABLE_KEYS.sortKey]: ENTITY_SK };
  }
}

function statusPartition(workflow: string, status: ExecutionStatus): string {
  return `${workflow}#${status}`;
}

/** Later changes rank higher; RUNNING and PENDING_REDRIVE are both "not finished". */
function statusRank(status: ExecutionStatus): number {
  return isTerminal(status) ? 2 : 1;
}

function encodeToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Accepts only a key of this very query: the index's and the table's keys, in the same partition. */
function decodeToken(
  token: string,
  index: typeof BY_STATUS_INDEX | typeof BY_WORKFLOW_INDEX,
  partition: string,
): Record<string, string> {
  const invalid = () => new BadRequest('nextToken is not a token of this listing', { code: 'invalid_next_token' });
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const expected = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey].sort();
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  const names = entries.map(([name]) => name).sort();
  if (names.join() !== expected.join() || entries.some(([, value]) => typeof value !== 'string')) throw invalid();
  const typed = key as Record<string, string>;
  if (typed[index.partitionKey] !== partition) throw invalid();
  return typed;
}

function toSummary(item: Item): ExecutionSummary {
  return {
    workflow: item.workflow as string,
    executionId: item.executionId as string,
    status: item.status as ExecutionStatus,
    startDate: item.startDate as string,
    ...(item.stopDate !== undefined ? { stopDate: item.stopDate as string } : {}),
    ...(item.error !== undefined ? { error: item.error as string } : {}),
  };
}

function toRecord(item: Item): ExecutionRecord {
  return {
    ...toSummary(item),
    executionArn: item.executionArn as string,
    redriveCount: (item.redriveCount as number | undefined) ?? 0,
    ...(item.input !== undefined ? { input: parseJson(item.input as string) } : {}),
    ...(item.output !== undefined ? { output: parseJson(item.output as string) } : {}),
    ...(item.outputTruncated ? { outputTruncated: true } : {}),
    ...(item.cause !== undefined ? { cause: item.cause as string } : {}),
    ...(item.inputHash !== undefined ? { inputHash: item.inputHash as string } : {}),
  };
}

/** Payloads are stored as the JSON text Step Functions reports; text that is not JSON stays text. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
