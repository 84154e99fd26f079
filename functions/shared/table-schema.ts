import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { BY_STATUS_INDEX, BY_WORKFLOW_INDEX, LISTED_ATTRIBUTES, TABLE_KEYS } from '../../core/contracts/table-keys.ts';

/** CreateTable input for the table: on-demand billing, both indexes projecting LISTED_ATTRIBUTES. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const projection = { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...LISTED_ATTRIBUTES] };
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      BY_STATUS_INDEX.partitionKey,
      BY_STATUS_INDEX.sortKey,
      BY_WORKFLOW_INDEX.partitionKey,
      BY_WORKFLOW_INDEX.sortKey,
    ].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [BY_STATUS_INDEX, BY_WORKFLOW_INDEX].map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: projection,
    })),
  };
}
