/**
 * The single table's key names and indexes. CDK declares the table with them;
 * the offline stack and tests create it with `createTableInput` (functions/shared/table-schema.ts).
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

/**
 * Service orchestration items, all of one service in one partition so one Query reads them together:
 * `pk = SERVICE#<name>`, `sk = INSTANCE#<id>` (registry), `HEALTH#<id>` (instance health), `BREAKER`,
 * `METRICS`. The catalogue of services is one partition, `pk = SERVICES`, `sk = <name>`.
 */
export const SERVICE_KEYS = {
  partition: (service: string) => `SERVICE#${service}`,
  instance: (id: string) => `INSTANCE#${id}`,
  health: (id: string) => `HEALTH#${id}`,
  breaker: 'BREAKER',
  metrics: 'METRICS',
  catalogue: 'SERVICES',
} as const;
/** An approval's item: `APPROVAL#<id>`, listed by status through the byStatus index (`gsi1pk = APPROVALS#<status>`). */
export const approvalKey = (id: string) => ({ [TABLE_KEYS.partitionKey]: `APPROVAL#${id}`, [TABLE_KEYS.sortKey]: 'APPROVAL' });
export const approvalsByStatus = (status: string) => `APPROVALS#${status}`;
