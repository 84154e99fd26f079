import { join, resolve } from 'node:path';
import { formatDiagnostic, hasErrors } from '../core/definition/diagnostics.ts';
import { loadProject } from '../project/load-project.ts';
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import { runtimeWorkflowEntry } from '../core/compiler/registry.ts';
import { serviceUrlVariable } from '../functions/service-invoker/resolve-service.ts';
import { claimDataDir } from './data-dir-lock.ts';
import { startDynamoDb, type DynamoDbServer } from './emulators/dynamodb/dynamodb-server.ts';
import type { ExecutionStatusChangeEvent } from './engine/status-event.ts';
import type { Clock } from './clock.ts';
import { LocalEngine } from './engine/local-engine.ts';
import { startHttpApi, type HttpApiServer, type ProxyHandler } from './http-adapter.ts';
import { servicesPortFromEnv, startServicesServer, type ServicesServer } from './services-server.ts';
import { startSfnServer, type SfnServer } from './emulators/stepfunctions/sfn-server.ts';
import { startSchedulingServers, writeEndpoints, type SchedulingServers } from './scheduling/scheduling-stack.ts';

export interface DevStackProps {
  /** @default 'definitions' */
  readonly definitionsDir?: string;
  /** Port of the API. @default PORT, else 3000 (0 picks a free one) */
  readonly port?: number;
  /** Port of the example services. @default STEPFLOW_SERVICES_PORT, else 3001 */
  readonly servicesPort?: number;
  /** Where executions and DynamoDB data are kept between runs. @default '.stepflow' */
  readonly dataDir?: string;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** DynamoDB table of the stack. @default 'stepflow' */
  readonly tableName?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Wait before every retry, in ms (tests pass 0). @default the Retriers' real backoff */
  readonly retryIntervalMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Clock and timers of the schedules and event retries (tests pass a fake one). @default systemClock */
  readonly schedulingClock?: Clock;
}

export interface DevStack {
  /** `http://127.0.0.1:<port>` of the API. */
  readonly url: string;
  readonly engine: LocalEngine;
  /** Workflows being served. */
  readonly workflows: readonly string[];
  /** The offline EventBridge, Scheduler and LocalScheduler. */
  readonly scheduling: SchedulingServers;
  /** Closes every server; executions still running are reported FAILED on the next start. */
  stop(): Promise<void>;
}

const DEFAULT_API_PORT = 3000;

/**
 * The whole stack offline: every definition compiled and run by the LocalEngine, Step Functions
 * served by the SFN server, DynamoDB by dynalite, the API and recorder handlers configured by the same
 * environment variables as on AWS, and the API served through the API Gateway proxy adapter.
 * Invalid definitions are reported and skipped.
 *
 * The environment is process-wide: one dev stack per process at a time. `stop()` restores it.
 */
export async function startDevStack(props: DevStackProps = {}): Promise<DevStack> {
  const log = props.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(props.dataDir ?? '.stepflow');
  const tableName = props.tableName ?? 'stepflow';
  const region = props.region ?? 'us-east-1';
  const closers: (() => Promise<void>)[] = [];
  const restoreEnv = snapshotEnv();
  closers.push(async () => restoreEnv());
  const releaseDataDir = claimDataDir(dataDir);
  closers.push(async () => releaseDataDir());
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };

  try {
    // Handlers are imported after the environment is set (functions/ reads it on first use).
    let record: (event: ExecutionStatusChangeEvent) => Promise<unknown> = async () => undefined;
    const engine = new LocalEngine({
      region,
      clock: props.clock,
      retryIntervalMs: props.retryIntervalMs,
      journalDir: join(dataDir, 'executions'),
      onStatusChange: async (event) => {
        await record(event);
      },
    });
    engine.on('listenerError', (error, event) => log(`✖ recording ${event.detail.name} ${event.detail.status} failed: ${(error as Error).message ?? error}`));
    closers.push(() => engine.close());
    const plans = loadWorkflows(engine, props.definitionsDir ?? 'definitions', log);

    const { createTableInput } = await import('../functions/shared/table-schema.ts');
    const dynamodb: DynamoDbServer = await startDynamoDb({ path: join(dataDir, 'dynamodb'), tables: [createTableInput(tableName)] });
    closers.push(() => dynamodb.close());
    const sfn: SfnServer = await startSfnServer({ engine });
    closers.push(() => sfn.close());
    const services: ServicesServer = await startServicesServer({ port: props.servicesPort ?? servicesPortFromEnv(), clock: props.clock });
    closers.push(() => services.close());
    const scheduling: SchedulingServers = await startSchedulingServers({ plans, engine, dataDir, region, clock: props.schedulingClock });
    closers.push(() => scheduling.stop());

    setEnv({
      STEPFLOW_TABLE: tableName,
      STEPFLOW_WORKFLOWS: JSON.stringify(
        Object.fromEntries(plans.map((p) => [p.name, workflowConfig(p, engine.stateMachineArn(p.name))])),
      ),
      AWS_ENDPOINT_URL_SFN: sfn.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      // Dummy credentials: the local servers do not check them, and real ones must never be sent there.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      STEPFLOW_SERVICES_URL: services.url,
      ...undeclaredServiceUrls(plans, services.url),
      ...scheduling.environment,
    });

    const { resetConfig, config } = await import('../functions/shared/config.ts');
    const { resetClients, dynamoDocumentClient } = await import('../functions/shared/clients.ts');
    const { DynamoDbExecutionStore } = await import('../functions/executions/dynamodb-execution-store.ts');
    const { createApiHandler } = await import('../functions/api/handler.ts');
    const { defaultApiDeps } = await import('../functions/api/deps.ts');
    const { createRecorder } = await import('../functions/recorder/handler.ts');
    const { resetSchedulingClients } = await import('../functions/scheduling/aws-clients.ts');
    // The Lambda entry points keep what they built on first use; the factories behind them are used so
    // that a stack restarted in the same process talks to the new servers.
    resetConfig();
    resetClients();
    resetSchedulingClients();
    closers.push(async () => {
      resetSchedulingClients();
      resetClients();
      resetConfig();
    });
    const recorder = createRecorder({
      store: new DynamoDbExecutionStore({ client: dynamoDocumentClient(), tableName: config().table }),
      workflows: config().workflows,
      logger: () => undefined,
    });
    record = (event) => recorder(event);
    const interrupted = await engine.recover();
    for (const execution of interrupted) log(`⚠ ${execution.workflow}/${execution.name} was running when the stack stopped: marked FAILED`);

    const { createDispatcher } = await import('../functions/scheduling/handler.ts');
    const { defaultDispatchDeps } = await import('../functions/scheduling/deps.ts');
    const { DynamoDbScheduleStore } = await import('../functions/scheduling/dynamodb-schedule-store.ts');
    const activated = await scheduling.activate({
      dispatcher: createDispatcher(defaultDispatchDeps({ logger: () => undefined })),
      store: new DynamoDbScheduleStore({ client: dynamoDocumentClient(), tableName: config().table }),
    });

    const apiHandler = createApiHandler(defaultApiDeps()) as unknown as ProxyHandler;
    const api: HttpApiServer = await startHttpApi({ handler: apiHandler, port: props.port ?? apiPortFromEnv(), region, clock: props.clock });
    closers.push(() => api.close());

    log(`stepflow dev stack on ${api.url}`);
    log(`  Step Functions ${sfn.url} · DynamoDB ${dynamodb.url} · services ${services.url} · data ${dataDir}`);
    log(`  EventBridge ${scheduling.eventBridge.url} · Scheduler ${scheduling.schedulerServer.url}`);
    for (const s of activated.schedules) log(`  schedule ${s.scheduleId} ${s.expression} (${s.timezone})${s.enabled ? '' : ' disabled'}`);
    for (const r of activated.rules) log(`  event rule ${r.name} on bus ${r.bus}${r.enabled ? '' : ' disabled'}`);
    await writeEndpoints(dataDir, { api: api.url, eventbridge: scheduling.eventBridge.url, scheduler: scheduling.schedulerServer.url, sfn: sfn.url, dynamodb: dynamodb.url });
    for (const plan of plans) log(`  workflow ${plan.name} (${Object.keys(plan.taskStates).length} task states) → POST ${api.url}/workflows/${plan.name}/executions`);
    if (plans.length === 0) log('  no workflow loaded');
    return { url: api.url, engine, workflows: plans.map((p) => p.name), scheduling, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Compiles every definition and registers it; problems are printed, the files skipped. */
function loadWorkflows(engine: LocalEngine, dir: string, log: (line: string) => void): WorkflowPlan[] {
  const { plans, diagnostics } = loadProject(dir);
  for (const diagnostic of diagnostics) log(formatDiagnostic(diagnostic));
  if (hasErrors(diagnostics)) log('✖ definitions with errors were skipped');
  const loaded: WorkflowPlan[] = [];
  for (const plan of plans) {
    try {
      engine.register(plan);
      loaded.push(plan);
    } catch (error) {
      log(`✖ ${plan.file}: workflow ${plan.name} cannot run offline: ${(error as Error).message}`);
    }
  }
  return loaded;
}

function workflowConfig(plan: WorkflowPlan, stateMachineArn: string): Record<string, unknown> {
  return { stateMachineArn, ...runtimeWorkflowEntry(plan) };
}

/** Services named by tasks but declared nowhere resolve to the example notification service. */
function undeclaredServiceUrls(plans: readonly WorkflowPlan[], servicesUrl: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const service of plans.flatMap((p) => p.services)) {
    const variable = serviceUrlVariable(service.name);
    if (!service.definition && !process.env[variable]) urls[variable] = `${servicesUrl}/notify`;
  }
  return urls;
}

function apiPortFromEnv(): number {
  const value = Number(process.env.PORT);
  return process.env.PORT && Number.isInteger(value) && value >= 0 ? value : DEFAULT_API_PORT;
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

function snapshotEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}
