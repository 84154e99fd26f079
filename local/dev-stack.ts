import { join, resolve } from 'node:path';
import { formatDiagnostic, hasErrors } from '../core/definition/diagnostics.ts';
import { loadProject } from '../project/load-project.ts';
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import type { WorkflowConfig } from '../core/contracts/workflow-entry.ts';
import { runtimeWorkflowEntry } from '../core/compiler/registry.ts';
import { defaultApiDeps } from '../functions/api/deps.ts';
import { createApiHandler } from '../functions/api/handler.ts';
import { DynamoDbCoordinatorStore } from '../functions/coordinator/dynamodb-coordinator-store.ts';
import { DynamoDbApprovalStore } from '../functions/approvals/dynamodb-approval-store.ts';
import { DynamoDbExecutionStore } from '../functions/executions/dynamodb-execution-store.ts';
import { createRecorder } from '../functions/recorder/handler.ts';
import { defaultDispatchDeps } from '../functions/scheduling/deps.ts';
import { DynamoDbScheduleStore } from '../functions/scheduling/dynamodb-schedule-store.ts';
import { createDispatcher } from '../functions/scheduling/handler.ts';
import { createAwsClients, type AwsClients } from '../functions/shared/clients.ts';
import type { RuntimeConfig } from '../functions/shared/config.ts';
import type { LogSink } from '../functions/shared/logger.ts';
import { ExecutionLogFiles } from './logs/execution-log-files.ts';
import { buildConsoleAssets } from './console/console-assets.ts';
import { createTableInput } from '../functions/shared/table-schema.ts';
import { claimDataDir } from './data-dir-lock.ts';
import { reconcileExecutions } from './execution-reconciliation.ts';
import { startDynamoDb, type DynamoDbServer } from './emulators/dynamodb/dynamodb-server.ts';
import type { ExecutionStatusChangeEvent } from './engine/status-event.ts';
import type { ExecutionLogDelivery } from './engine/execution-log.ts';
import type { Clock } from './clock.ts';
import { LocalEngine } from './engine/local-engine.ts';
import { systemClock } from './clock.ts';
import { LocalServiceOrchestration } from './services/service-orchestration.ts';
import { OfflinePools } from './pools/offline-pools.ts';
import { sdkCallbackChannels } from './callbacks/sdk-callback-channels.ts';
import { DynamoDbJobStore } from '../functions/pools/dynamodb-job-store.ts';
import { startHttpApi, type HttpApiServer, type ProxyHandler } from './http-adapter.ts';
import { undeclaredServiceUrls } from './example-services.ts';
import { HandlerVersions } from './reload/handler-versions.ts';
import { startHotReload, type HotReload } from './reload/hot-reload.ts';
import { servicesPortFromEnv, startServicesServer, type ServicesServer } from './services-server.ts';
import { awsPortFromEnv, startEdgeServer } from './emulators/edge/edge-server.ts';
import { startSfnServer, type SfnServer } from './emulators/stepfunctions/sfn-server.ts';
import { startSchedulingServers, writeEndpoints, type SchedulingEnvironment, type SchedulingServers } from './scheduling/scheduling-stack.ts';

export interface DevStackProps {
  /** @default 'definitions' */
  readonly definitionsDir?: string;
  /** Watch definitions and handler files and reload them for new executions (local/reload/). @default false */
  readonly hotReload?: boolean;
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
  /** Where task log lines go once kept under `<dataDir>/logs/`. @default stdout and stderr as JSON lines, as in Lambda */
  readonly taskLog?: LogSink;
  /** Port of the one AWS endpoint routing to every emulator. @default STEPFLOW_AWS_PORT, else 4599; 0 when `port` is 0 */
  readonly awsPort?: number;
  /** Clock and timers of the schedules and event retries (tests pass a fake one). @default systemClock */
  readonly schedulingClock?: Clock;
  /** How long stopping lets running tasks end before leaving them to run again at the next start. @default 2000 */
  readonly closeGraceMs?: number;
}

export interface DevStack {
  /** `http://127.0.0.1:<port>` of the API. */
  readonly url: string;
  /** The one AWS endpoint of the emulators (`aws --endpoint-url`, `AWS_ENDPOINT_URL`). */
  readonly awsUrl: string;
  readonly engine: LocalEngine;
  /** Task log lines of each execution. */
  readonly logs: ExecutionLogFiles;
  /** Workflows being served. */
  readonly workflows: readonly string[];
  /** The offline EventBridge, Scheduler and LocalScheduler. */
  readonly scheduling: SchedulingServers;
  /** The configuration the handlers run with: the offline servers' endpoints, the table, the workflows. */
  readonly config: RuntimeConfig;
  /** SDK clients pointed at the offline servers. */
  readonly clients: AwsClients;
  /** The declared pools, their queues on fauxqs and their worker processes. */
  readonly pools: OfflinePools;
  /**
   * Stops in order: requests answered 503, schedules and deliveries settled, running tasks given
   * `closeGraceMs` to end, then every server closed. Executions still running resume at the next start.
   */
  stop(): Promise<void>;
  /** Present when started with `hotReload`. */
  readonly reload?: HotReload;
}

const DEFAULT_API_PORT = 3000;
const STOP_ORDER = ['reload', 'drain', 'scheduling', 'probes', 'engine', 'pools', 'logs', 'api', 'edge', 'services', 'sfn', 'dynamodb', 'dataDir'] as const;

/**
 * The whole stack offline: every definition compiled and run by the LocalEngine, Step Functions
 * served by the SFN server, DynamoDB by dynalite, the API, recorder and dispatcher handlers built from a
 * configuration value pointing at those servers, and the API served through the API Gateway proxy
 * adapter. Invalid definitions are reported and skipped. Nothing is written to `process.env`, so several
 * stacks can run in one process.
 */
export async function startDevStack(props: DevStackProps = {}): Promise<DevStack> {
  const log = props.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(props.dataDir ?? '.stepflow');
  const tableName = props.tableName ?? 'stepflow';
  const region = props.region ?? 'us-east-1';
  // Stopped in this order, whatever order they started in: the API stops taking requests (503), the
  // schedules, bus and Scheduler settle, the engine lets its tasks end and checkpoints, and only then do
  // the servers and the table its last status changes went to close.
  const closers: Partial<Record<(typeof STOP_ORDER)[number], () => Promise<void> | void>> = {};
  const releaseDataDir = claimDataDir(dataDir);
  closers.dataDir = releaseDataDir;
  const stop = async () => {
    for (const part of STOP_ORDER) {
      const close = closers[part];
      delete closers[part];
      await close?.();
    }
  };

  try {
    let pools: OfflinePools;
    // Callbacks via event or sqs reach the offline EventBridge and fauxqs, both up before anything runs.
    let callbackClients: AwsClients | undefined;
    let record: (event: ExecutionStatusChangeEvent | ExecutionLogDelivery) => Promise<unknown> = async () => undefined;
    // What the service invoker reads: this process's environment, plus the example service for services
    // that tasks name but nothing declares (filled in once the services server is up).
    const serviceEnv: Record<string, string | undefined> = { ...process.env };
    const dynamodb: DynamoDbServer = await startDynamoDb({ path: join(dataDir, 'dynamodb'), tables: [createTableInput(tableName)] });
    closers.dynamodb = () => dynamodb.close();
    // Gated workflows' coordinator keeps their gates in the table, with the same code as deployed.
    const tableClient = createAwsClients({ region, endpoints: { dynamodb: dynamodb.url }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }).dynamo;
    const coordinatorStore = new DynamoDbCoordinatorStore({ client: tableClient, tableName });
    const orchestration = new LocalServiceOrchestration({ client: tableClient, tableName, env: serviceEnv, clock: props.clock ?? systemClock });
    // Approval tasks record pending approvals in the table, where the API's /approvals routes read them.
    const approvalStore = new DynamoDbApprovalStore({ client: tableClient, tableName });
    const logs = new ExecutionLogFiles(join(dataDir, 'logs'), (message, error) => log(`✖ ${message}: ${(error as Error).message ?? error}`));
    const taskLog = props.taskLog ?? lambdaStyleLog;
    const handlerVersions = new HandlerVersions();
    const engine = new LocalEngine({
      region,
      handlerVersion: (file) => handlerVersions.of(file),
      clock: props.clock,
      serviceEnv,
      serviceOrchestration: orchestration.runtime,
      coordinatorStore,
      approvalStore,
      retryIntervalMs: props.retryIntervalMs,
      journalDir: join(dataDir, 'executions'),
      s3Dir: join(dataDir, 's3'),
      historyDir: join(dataDir, 'history'),
      taskLog: (line, level) => {
        logs.append(line, level);
        taskLog(line, level);
      },
      closeGraceMs: props.closeGraceMs,
      poolSender: (placeholder, body) => pools.send(placeholder, body),
      callbackChannels: sdkCallbackChannels({ eventBridge: () => callbackClients!.eventBridge, sqs: () => callbackClients!.sqs }),
      onStatusChange: async (event) => {
        await record(event);
      },
      // Express executions reach the recorder through their log group's subscription, as on AWS.
      onExecutionLog: async (event) => {
        await record(event);
      },
    });
    engine.on('listenerError', (error, event) => {
      const what = 'detail' in event ? `${event.detail.name} ${event.detail.status}` : 'an Express execution log event';
      log(`✖ recording ${what} failed: ${(error as Error).message ?? error}`);
    });
    const plans = loadWorkflows(engine, props.definitionsDir ?? 'definitions', log);

    const sfn: SfnServer = await startSfnServer({ engine });
    closers.sfn = () => sfn.close();
    // Pools' queues on disk, so jobs queued when the stack stops run at the next start.
    pools = await OfflinePools.start({ plans, region, table: tableName, dynamodbUrl: dynamodb.url, sfnUrl: sfn.url, dataDir: join(dataDir, 'sqs'), delayedDir: join(dataDir, 'pool-delays'), clock: props.clock, log });
    closers.pools = () => pools.stop();
    const services: ServicesServer = await startServicesServer({ port: props.servicesPort ?? servicesPortFromEnv(), clock: props.clock });
    closers.services = () => services.close();
    closers.engine = () => engine.close();
    closers.logs = () => logs.flush();
    Object.assign(serviceEnv, undeclaredServiceUrls(plans, services.url), { STEPFLOW_SERVICES_URL: serviceEnv.STEPFLOW_SERVICES_URL ?? services.url });
    orchestration.startProbes(plans);
    closers.probes = () => orchestration.stop();
    const scheduling: SchedulingServers = await startSchedulingServers({ plans, engine, dataDir, region, clock: props.schedulingClock });
    closers.scheduling = () => scheduling.stop();
    callbackClients = createAwsClients({ region, endpoints: { eventbridge: scheduling.eventBridge.url, sqs: pools.url }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const edge = await startEdgeServer({
      port: props.awsPort ?? (props.port === 0 ? 0 : awsPortFromEnv(process.env)),
      targets: { sfn: sfn.url, dynamodb: dynamodb.url, eventbridge: scheduling.eventBridge.url, scheduler: scheduling.schedulerServer.url, sqs: pools.url },
    });
    closers.edge = () => edge.close();

    const config = devStackConfig({ tableName, region, plans, engine, sfnUrl: sfn.url, dynamodbUrl: dynamodb.url, scheduling: scheduling.environment });
    const clients = createAwsClients(config.aws);
    const executionStore = new DynamoDbExecutionStore({ client: clients.dynamo, tableName: config.table });
    const recorder = createRecorder({ store: executionStore, workflows: config.workflows, logger: () => undefined });
    record = (event) => recorder(event);
    // The journal first: the store is made to agree with it before anything runs or is served.
    const recovery = await engine.recover({
      repair: async (unsettled) => {
        const fixed = await reconcileExecutions(executionStore, engine, unsettled);
        if (fixed.removed) log(`⚠ removed ${fixed.removed} execution record(s) of executions that never started`);
      },
    });
    if (recovery.resumed.length) log(`↻ resuming ${recovery.resumed.length} execution(s) that were running when the stack stopped`);
    for (const execution of recovery.ended) log(`⚠ ${execution.workflow}/${execution.name} was running when the stack stopped and cannot resume: ${execution.cause}`);

    const activated = await scheduling.activate({
      dispatcher: createDispatcher(defaultDispatchDeps(config, clients, { logger: () => undefined })),
      store: new DynamoDbScheduleStore({ client: clients.dynamo, tableName: config.table }),
    });

    const jobStore = new DynamoDbJobStore({ client: clients.dynamo, tableName: config.table });
    const apiHandler = createApiHandler(defaultApiDeps(config, clients, { logs, services: orchestration.api, pools: pools.apiDeps(jobStore) })) as unknown as ProxyHandler;
    const consoleAssets = await buildConsoleAssets(plans);
    const api: HttpApiServer = await startHttpApi({ handler: apiHandler, port: props.port ?? apiPortFromEnv(), region, clock: props.clock, intercept: consoleAssets.serve });
    closers.drain = () => api.drain();
    closers.api = () => api.close();

    log(`stepflow dev stack on ${api.url} (console: ${api.url}/)`);
    log(`  Step Functions ${sfn.url} · DynamoDB ${dynamodb.url} · services ${services.url} · data ${dataDir}`);
    log(`  EventBridge ${scheduling.eventBridge.url} · Scheduler ${scheduling.schedulerServer.url}`);
    log(`  AWS endpoint ${edge.url} (Step Functions, EventBridge, Scheduler, DynamoDB, SQS): aws --endpoint-url ${edge.url} … or AWS_ENDPOINT_URL=${edge.url}`);
    for (const s of activated.schedules) log(`  schedule ${s.scheduleId} ${s.expression} (${s.timezone})${s.enabled ? '' : ' disabled'}`);
    for (const r of activated.rules) log(`  event rule ${r.name} on bus ${r.bus}${r.enabled ? '' : ' disabled'}`);
    const { missed, caughtUp, settled } = activated.downtime;
    if (missed || caughtUp) log(`⚠ while the stack was down: ${missed} schedule fire(s) missed, ${caughtUp} run late (catchup)`);
    if (settled) log(`⚠ ${settled} fire(s) being dispatched when the stack stopped were settled`);
    await writeEndpoints(dataDir, { api: api.url, aws: edge.url, eventbridge: scheduling.eventBridge.url, scheduler: scheduling.schedulerServer.url, sfn: sfn.url, dynamodb: dynamodb.url });
    for (const pool of pools.list()) log(`  pool ${pool.definition.name} (max ${pool.definition.maxSize} workers) → POST ${api.url}/pools/${pool.definition.name}/jobs`);
    for (const plan of plans) log(`  workflow ${plan.name} (${Object.keys(plan.taskStates).length} task states) → POST ${api.url}/workflows/${plan.name}/executions`);
    if (plans.length === 0) log('  no workflow loaded');
    const reload = props.hotReload
      ? startHotReload({ definitionsDir: props.definitionsDir ?? 'definitions', engine, workflows: config.workflows as Record<string, WorkflowConfig>, versions: handlerVersions, plans, log })
      : undefined;
    if (reload) {
      closers.reload = () => reload.close();
      log('  hot reload: definitions and handlers are watched; edits apply to new executions');
    }
    return { url: api.url, awsUrl: edge.url, engine, logs, workflows: plans.map((p) => p.name), scheduling, config, clients, pools, reload, stop };
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

interface DevStackConfigProps {
  readonly tableName: string;
  readonly region: string;
  readonly plans: readonly WorkflowPlan[];
  readonly engine: LocalEngine;
  readonly sfnUrl: string;
  readonly dynamodbUrl: string;
  readonly scheduling: SchedulingEnvironment;
}

/** What the handlers would read from their environment on AWS, as a value pointing at the offline servers. */
function devStackConfig(props: DevStackConfigProps): RuntimeConfig {
  const { scheduling } = props;
  return {
    table: props.tableName,
    workflows: Object.fromEntries(
      props.plans.map((p) => [p.name, { stateMachineArn: props.engine.stateMachineArn(p.name), ...runtimeWorkflowEntry(p) }]),
    ),
    aws: {
      region: props.region,
      endpoints: { sfn: props.sfnUrl, dynamodb: props.dynamodbUrl, eventbridge: scheduling.AWS_ENDPOINT_URL_EVENTBRIDGE, scheduler: scheduling.AWS_ENDPOINT_URL_SCHEDULER },
      // Dummy credentials: the local servers do not check them, and real ones must never be sent there.
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    scheduling: {
      scheduleGroup: scheduling.STEPFLOW_SCHEDULE_GROUP,
      eventBus: scheduling.STEPFLOW_EVENT_BUS,
      dispatcherArn: scheduling.STEPFLOW_DISPATCHER_ARN,
      schedulerRoleArn: scheduling.STEPFLOW_SCHEDULER_ROLE_ARN,
      deadLetterArn: scheduling.STEPFLOW_SCHEDULE_DLQ_ARN,
    },
  };
}

function lambdaStyleLog(line: string, level: string): void {
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

function apiPortFromEnv(): number {
  const value = Number(process.env.PORT);
  return process.env.PORT && Number.isInteger(value) && value >= 0 ? value : DEFAULT_API_PORT;
}
