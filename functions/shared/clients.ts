import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { AwsSettings } from './config.ts';
import { clientOptions } from './clients/client-options.ts';
import { createPoolWorkerClients, type PoolWorkerClients } from './clients/pool-worker-clients.ts';
import { traceAwsClient } from './lambda-entry.ts';

/** Every AWS SDK client stepflow's handlers use, each made on first use. */
export interface AwsClients extends PoolWorkerClients {
  readonly scheduler: SchedulerClient;
  readonly eventBridge: EventBridgeClient;
  /** AWS Cloud Map, for services with `discovery: cloudmap`. */
  readonly serviceDiscovery: ServiceDiscoveryClient;
  /** Pools' event source mappings and provisioned concurrency. */
  readonly lambda: LambdaClient;
}

/**
 * The one place SDK clients are made, with functions/shared/clients/ (one file per package for the
 * clients a pool worker needs, so a worker loads only those: createPoolWorkerClients). Without explicit
 * endpoints the SDK reads the standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables itself
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), so the same code talks to
 * AWS or LocalStack; the offline stack passes its servers' endpoints and dummy credentials as values.
 */
export function createAwsClients(settings: AwsSettings): AwsClients {
  const common = (endpoint: string | undefined) => clientOptions(settings, endpoint);
  const endpoints = settings.endpoints ?? {};
  // The clients a pool worker uses are made by the same lazy factory the lean worker entry imports.
  const lean = createPoolWorkerClients(settings);
  let scheduler: SchedulerClient | undefined;
  let eventBridge: EventBridgeClient | undefined;
  let serviceDiscovery: ServiceDiscoveryClient | undefined;
  let lambda: LambdaClient | undefined;
  return {
    get dynamo() {
      return lean.dynamo;
    },
    get sfn() {
      return lean.sfn;
    },
    get scheduler() {
      scheduler ??= traceAwsClient(new SchedulerClient(common(endpoints.scheduler)));
      return scheduler;
    },
    get eventBridge() {
      eventBridge ??= traceAwsClient(new EventBridgeClient(common(endpoints.eventbridge)));
      return eventBridge;
    },
    get serviceDiscovery() {
      serviceDiscovery ??= new ServiceDiscoveryClient(common(endpoints.servicediscovery));
      return serviceDiscovery;
    },
    get sqs() {
      return lean.sqs;
    },
    get lambda() {
      lambda ??= traceAwsClient(new LambdaClient(common(endpoints.lambda)));
      return lambda;
    },
  };
}
