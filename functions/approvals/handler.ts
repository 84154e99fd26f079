import { createAwsClients } from '../shared/clients.ts';
import { loadConfig } from '../shared/config.ts';
import { createApprovals } from './approvals.ts';
import { DynamoDbApprovalStore } from './dynamodb-approval-store.ts';

let approvals: ReturnType<typeof createApprovals> | undefined;

/** The Lambda entry point (invoked by approval tasks); dependencies are built on first use. */
export const handler = (event: unknown) => {
  if (!approvals) {
    const { table, aws } = loadConfig(process.env);
    approvals = createApprovals({ store: new DynamoDbApprovalStore({ client: createAwsClients(aws).dynamo, tableName: table }) });
  }
  return approvals(event);
};
