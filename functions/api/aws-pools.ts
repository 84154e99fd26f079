import type { PoolsDeps } from './operations/pool-deps.ts';
import type { AwsClients } from '../shared/clients.ts';
import type { PoolsConfig } from '../shared/pools-config.ts';
import { AwsPoolRuntime } from '../pools/aws-pool-runtime.ts';
import { DynamoDbJobStore } from '../pools/dynamodb-job-store.ts';
import type { PoolControl } from '../pools/pool-control.ts';

/**
 * The deployed pools as the API serves them: each pool's lanes (queue and dead-letter queue URLs), its
 * runtime on its event source mappings, and the job records in the stack's table.
 */
export function awsPoolsDeps(config: PoolsConfig, clients: AwsClients, table: string, deadLetterArn?: string): PoolsDeps {
  const scheduling = config.schedulerRoleArn && config.scheduleGroup
    ? { roleArn: config.schedulerRoleArn, group: config.scheduleGroup, ...(deadLetterArn ? { deadLetterArn } : {}) }
    : undefined;
  const controls: Record<string, PoolControl> = {};
  for (const [name, pool] of Object.entries(config.pools)) {
    controls[name] = {
      definition: () => pool.definition,
      queues: Object.fromEntries(pool.lanes.map((lane) => [lane.name, { url: lane.url, dlqUrl: lane.dlqUrl }])),
      runtime: new AwsPoolRuntime({ pool, lambda: clients.lambda, scheduler: clients.scheduler, ...(scheduling ? { scheduling } : {}) }),
    };
  }
  return { controls, jobs: new DynamoDbJobStore({ client: clients.dynamo, tableName: table }), sqs: clients.sqs };
}
