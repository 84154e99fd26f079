import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table's key names and indexes. infra/ imports these names to declare the same table in
 * CDK; tests and the offline stack create it with `createTableInput`.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Executions of one workflow in one status, newest first: `gsi1pk = <workflow>#<STATUS>`. */
export const BY_STATUS_INDEX = { name: 'byStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;

/** Every execution of one workflow, newest first: `gsi2pk = <workflow>`. */
export const BY_WORKFLOW_INDEX = { name: 'byWorkflow', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' } as const;

/**
 * Attributes the indexes carry besides their keys: what a listing shows. Input and output stay in the
 * base table (up to 256 KB each), so listings stay small and cheap.
 */
export const LISTED_ATTRIBUTES = ['workflow', 'executionId', 'status', 'startDate', 'stopDate', 'error'] as const;

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
