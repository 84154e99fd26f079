import { mkdir } from 'node:fs/promises';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { poolOfPlaceholder } from '../../core/compiler/pools.ts';
import type { PoolDefinition } from '../../core/definition/pool-model.ts';
import type { AwsSettings } from '../../functions/shared/config.ts';
import type { Clock } from '../clock.ts';
import { DelayedJobs } from './delayed-jobs.ts';
import { fixFauxqsPersistence } from './fauxqs-persistence-fix.ts';
import { LocalPool } from './local-pool.ts';
import { localPoolControl } from './local-pool-control.ts';
import type { JobStore } from '../../functions/pools/job-store.ts';
import type { PoolsDeps } from '../../functions/api/operations/pool-deps.ts';

export interface OfflinePoolsProps {
  /** Pools are gathered from the plans (one per name: the first file declaring it wins). */
  readonly plans: readonly WorkflowPlan[];
  readonly region: string;
  /** The table job records go to. */
  readonly table: string;
  readonly dynamodbUrl: string;
  /** Where workers answer pooled tasks' tokens (the SFN server). */
  readonly sfnUrl: string;
  /** fauxqs keeps queues and messages in SQLite here, so queued jobs outlive a restart. @default in memory */
  readonly dataDir?: string;
  /** Jobs delayed past SQS's 15 minutes are kept here, one file each, so they are sent after a restart. @default in memory */
  readonly delayedDir?: string;
  /** Times the delayed jobs. @default systemClock */
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
}

/** Every declared pool running offline: fauxqs for the queues, a LocalPool (worker processes) per pool. */
export class OfflinePools {
  private constructor(
    private readonly server: FauxqsServer,
    readonly sqs: SQSClient,
    private readonly pools: ReadonlyMap<string, LocalPool>,
    /** Jobs delayed past SQS's 15 minutes, waiting to be sent. */
    readonly delayed: DelayedJobs,
    private readonly clock?: Clock,
  ) {}

  static async start(props: OfflinePoolsProps): Promise<OfflinePools> {
    if (props.dataDir) {
      await mkdir(props.dataDir, { recursive: true });
      await fixFauxqsPersistence();
    }
    const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false, ...(props.dataDir ? { dataDir: props.dataDir } : {}) });
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const sqs = new SQSClient({ endpoint: server.address, region: props.region, credentials });
    const aws: AwsSettings = { region: props.region, endpoints: { dynamodb: props.dynamodbUrl, sfn: props.sfnUrl, sqs: server.address }, credentials };
    const pools = new Map<string, LocalPool>();
    for (const definition of declaredPools(props.plans, props.log)) {
      pools.set(definition.name, new LocalPool({ pool: definition, sqs, table: props.table, aws, log: props.log }));
    }
    const delayed = new DelayedJobs({ sqs, queueUrl: (pool, lane) => pools.get(pool)?.queues[lane]?.url, dir: props.delayedDir, clock: props.clock, log: props.log });
    const offline = new OfflinePools(server, sqs, pools, delayed, props.clock);
    try {
      for (const pool of pools.values()) await pool.start();
      // Once the lanes' queues exist: those due while the stack was stopped are sent now.
      const armed = await delayed.load();
      if (armed) props.log?.(`  ${armed} delayed pool job${armed > 1 ? 's' : ''} waiting`);
    } catch (error) {
      await offline.stop();
      throw error;
    }
    return offline;
  }

  /** `http://127.0.0.1:<port>` of fauxqs. */
  get url(): string {
    return this.server.address;
  }

  /** What the API's pool routes use. */
  apiDeps(store: JobStore): PoolsDeps {
    const clock = this.clock;
    return {
      controls: Object.fromEntries(this.list().map((p) => [p.definition.name, localPoolControl(p, this.delayed)])),
      jobs: store,
      sqs: this.sqs,
      ...(clock ? { now: () => clock.now() } : {}),
    };
  }

  get(name: string): LocalPool | undefined {
    return this.pools.get(name);
  }

  list(): LocalPool[] {
    return [...this.pools.values()];
  }

  /** A pooled task's message, to the lane its placeholder names. */
  async send(placeholder: string, messageBody: unknown): Promise<void> {
    const lane = poolOfPlaceholder(placeholder, this.list().map((p) => p.definition));
    const queue = lane && this.pools.get(lane.pool)?.queues[lane.lane];
    if (!queue) throw new Error(`no offline pool lane for ${placeholder}`);
    await this.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(messageBody) }));
  }

  /** Delayed jobs' timers cleared (their records stay), workers stopped (their jobs stay queued), then fauxqs. */
  async stop(): Promise<void> {
    await this.delayed.stop();
    await Promise.allSettled(this.list().map((p) => p.stop()));
    this.sqs.destroy();
    await this.server.stop();
  }
}

function declaredPools(plans: readonly WorkflowPlan[], log?: (line: string) => void): PoolDefinition[] {
  const byName = new Map<string, { pool: PoolDefinition; file: string }>();
  for (const plan of plans) {
    for (const pool of plan.pools ?? []) {
      const first = byName.get(pool.name);
      if (!first) byName.set(pool.name, { pool, file: plan.file });
      else if (first.file !== plan.file) log?.(`⚠ pool ${pool.name} is declared in ${first.file} and ${plan.file}: the first one runs`);
    }
  }
  return [...byName.values()].map((p) => p.pool);
}
