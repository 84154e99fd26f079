import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { createTableInput } from '../../functions/shared/table-schema.ts';
import { startDynamoDb } from '../emulators/dynamodb/dynamodb-server.ts';
import { startSfnServer } from '../emulators/stepfunctions/sfn-server.ts';
import type { LocalEngine } from '../engine/local-engine.ts';
import { OfflinePools } from './offline-pools.ts';

const TABLE = 'stepflow-run';

/**
 * What pooled tasks need outside the dev stack (`stepflow run`): a table for job records, the SFN server
 * the workers answer through, and the pools, all in memory. Undefined when no plan declares a pool.
 */
export async function startStandalonePools(plans: readonly WorkflowPlan[], engine: LocalEngine, region = 'us-east-1'): Promise<{ pools: OfflinePools; stop(): Promise<void> } | undefined> {
  if (!plans.some((p) => p.pools?.length)) return undefined;
  const dynamodb = await startDynamoDb({ tables: [createTableInput(TABLE)] });
  const sfn = await startSfnServer({ engine });
  try {
    const pools = await OfflinePools.start({ plans, region, table: TABLE, dynamodbUrl: dynamodb.url, sfnUrl: sfn.url });
    return {
      pools,
      stop: async () => {
        await pools.stop();
        await sfn.close();
        await dynamodb.close();
      },
    };
  } catch (error) {
    await sfn.close();
    await dynamodb.close();
    throw error;
  }
}
