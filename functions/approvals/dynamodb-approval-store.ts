import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRecord, ApprovalStatus } from '../../core/contracts/approvals.ts';
import { BY_STATUS_INDEX, approvalKey, approvalsByStatus } from '../../core/contracts/table-keys.ts';
import type { ApprovalStore } from './approval-store.ts';

export interface DynamoDbApprovalStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Approvals on the single table: `pk = APPROVAL#<id>`, listed by status through the byStatus index
 * (`gsi1pk = APPROVALS#<status>`, `gsi1sk` the request time). A decision is a conditional update on
 * `status = pending`, so two answers never both win.
 */
export class DynamoDbApprovalStore implements ApprovalStore {
  constructor(private readonly props: DynamoDbApprovalStoreProps) {}

  async put(record: ApprovalRecord): Promise<void> {
    await this.props.client.send(new PutCommand({
      TableName: this.props.tableName,
      Item: { ...approvalKey(record.id), ...record, [BY_STATUS_INDEX.partitionKey]: approvalsByStatus(record.status), [BY_STATUS_INDEX.sortKey]: record.requestedAt },
    }));
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const { Item } = await this.props.client.send(new GetCommand({ TableName: this.props.tableName, Key: approvalKey(id), ConsistentRead: true }));
    return Item ? recordOf(Item) : undefined;
  }

  async decide(id: string, status: Exclude<ApprovalStatus, 'pending'>, fields: { decidedAt: string; reason?: string; approvedBy?: string }): Promise<boolean> {
    const values: Record<string, unknown> = { ':status': status, ':pending': 'pending', ':gsi': approvalsByStatus(status), ':decidedAt': fields.decidedAt };
    const sets = ['#status = :status', '#gsi = :gsi', 'decidedAt = :decidedAt'];
    for (const key of ['reason', 'approvedBy'] as const) {
      if (fields[key] !== undefined) {
        sets.push(`${key} = :${key}`);
        values[`:${key}`] = fields[key];
      }
    }
    try {
      await this.props.client.send(new UpdateCommand({
        TableName: this.props.tableName,
        Key: approvalKey(id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', '#gsi': BY_STATUS_INDEX.partitionKey },
        ExpressionAttributeValues: values,
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(status: ApprovalStatus): Promise<ApprovalRecord[]> {
    const records: ApprovalRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.props.client.send(new QueryCommand({
        TableName: this.props.tableName,
        IndexName: BY_STATUS_INDEX.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': BY_STATUS_INDEX.partitionKey },
        ExpressionAttributeValues: { ':pk': approvalsByStatus(status) },
        ExclusiveStartKey: start,
      }));
      for (const item of page.Items ?? []) {
        // The index projects only the listed attributes: read the whole record.
        const record = await this.get(recordOf(item).id ?? String(item.pk).slice('APPROVAL#'.length));
        if (record) records.push(record);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }
}

function recordOf(item: Record<string, unknown>): ApprovalRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...record } = item;
  return record as unknown as ApprovalRecord;
}
