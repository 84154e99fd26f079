import { createAwsClients } from '../shared/clients.ts';
import type { Env } from '../service-invoker/resolve-service.ts';
import { DynamoDbOrchestrationStore } from './dynamodb-orchestration-store.ts';
import { MemoryOrchestrationStore } from './memory-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from './orchestrator.ts';

/**
 * The runtime a deployed invoker uses: registry, health and breakers in the state table
 * (`STEPFLOW_TABLE`), Cloud Map through the SDK; without a table (a bare `stepflow run`) they live in memory.
 */
export function defaultOrchestrationRuntime(env: Env, fetchImpl?: typeof fetch): ServiceOrchestrationRuntime {
  const clients = createAwsClients({ region: env.AWS_REGION || 'us-east-1' });
  const store = env.STEPFLOW_TABLE ? new DynamoDbOrchestrationStore({ client: clients.dynamo, tableName: env.STEPFLOW_TABLE }) : new MemoryOrchestrationStore();
  return new ServiceOrchestrationRuntime({ store, env, fetch: fetchImpl, cloudMap: () => clients.serviceDiscovery });
}
