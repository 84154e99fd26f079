import { GetEventSourceMappingCommand, UpdateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../../functions/api/handler.ts';
import { defaultApiDeps } from '../../../functions/api/deps.ts';
import { atExpression } from '../../../functions/pools/aws-pool-runtime.ts';
import { createAwsClients, type AwsClients } from '../../../functions/shared/clients.ts';
import { loadConfig } from '../../../functions/shared/config.ts';
import type { PoolsEnv } from '../../../functions/shared/pools-config.ts';
import { startSchedulerServer, type SchedulerServer } from '../../../local/emulators/scheduler/scheduler-server.ts';
import { LocalSchedulerService } from '../../../local/emulators/scheduler/scheduler-service.ts';
import { LocalScheduler } from '../../../local/scheduling/local-scheduler.ts';
import { createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { sqsClient, startLocalSqs } from '../../support/fauxqs.ts';
import { proxyEvent } from '../../support/proxy-event.ts';

/**
 * The deployed API's pools (loadConfig → defaultApiDeps → routes) over dynalite, fauxqs and the Scheduler
 * emulator; Lambda is a recording stand-in holding event source mappings and provisioned concurrency.
 */
class RecordingLambda {
  readonly commands: { name: string; input: Record<string, any> }[] = [];
  readonly mappings = new Map<string, { State: string; ScalingConfig: { MaximumConcurrency: number } }>();
  provisioned: number | undefined;

  async send(command: { constructor: { name: string }; input: Record<string, any> }): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    this.commands.push({ name, input: command.input });
    const mapping = (uuid: string) => {
      const found = this.mappings.get(uuid);
      if (!found) throw Object.assign(new Error(`no mapping ${uuid}`), { name: 'ResourceNotFoundException' });
      return found;
    };
    switch (name) {
      case 'GetEventSourceMapping':
        return { UUID: command.input.UUID, ...mapping(command.input.UUID) };
      case 'UpdateEventSourceMapping': {
        const m = mapping(command.input.UUID);
        // Lambda answers Disabling / Enabling, and the mapping settles a moment later; here it settles at once.
        if (command.input.Enabled !== undefined) m.State = command.input.Enabled ? 'Enabled' : 'Disabled';
        if (command.input.ScalingConfig) m.ScalingConfig = command.input.ScalingConfig;
        return { UUID: command.input.UUID, ...m };
      }
      case 'PutProvisionedConcurrencyConfig':
        this.provisioned = command.input.ProvisionedConcurrentExecutions;
        return { RequestedProvisionedConcurrentExecutions: this.provisioned, Status: 'IN_PROGRESS' };
      case 'GetProvisionedConcurrencyConfig':
        if (this.provisioned === undefined) throw Object.assign(new Error('none'), { name: 'ProvisionedConcurrencyConfigNotFoundException' });
        return { RequestedProvisionedConcurrentExecutions: this.provisioned };
      case 'DeleteProvisionedConcurrencyConfig':
        if (this.provisioned === undefined) throw Object.assign(new Error('none'), { name: 'ResourceNotFoundException' });
        this.provisioned = undefined;
        return {};
      default:
        throw new Error(`unexpected ${name}`);
    }
  }

  named(name: string) {
    return this.commands.filter((c) => c.name === name).map((c) => c.input);
  }
}

let dynamo: LocalDynamo;
let sqsServer: FauxqsServer;
let sqs: SQSClient;
let schedulerServer: SchedulerServer;
let schedulerService: LocalSchedulerService;
let localScheduler: LocalScheduler;
let clock: FakeClock;
let table: string;
let seq = 0;

beforeAll(async () => {
  [dynamo, sqsServer] = await Promise.all([startDynalite(), startLocalSqs()]);
  sqs = sqsClient(sqsServer);
  table = await createExecutionsTable(dynamo.endpoint);
  clock = new FakeClock(Date.now());
  localScheduler = new LocalScheduler({ clock, dispatch: (fire) => schedulerService.fire(fire) });
  // A fire of an SQS target is SendMessage of its Input to the queue the ARN names.
  schedulerService = new LocalSchedulerService({
    scheduler: localScheduler,
    groups: ['stepflow'],
    clock,
    invoke: async (target, input) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: target.Arn.split(':').at(-1)! }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: input }));
      return { status: 'started' };
    },
  });
  schedulerServer = await startSchedulerServer({ service: schedulerService, recordCalls: true });
});
afterAll(async () => {
  await localScheduler?.stop();
  await schedulerServer?.close();
  await Promise.all([dynamo?.close(), sqsServer?.stop()]);
});

interface Deployed {
  readonly lambda: RecordingLambda;
  readonly queues: Record<string, { url: string; dlqUrl: string }>;
  call(method: string, path: string, body?: unknown): Promise<{ statusCode: number; body: any }>;
}

/** A pool `shrink` (lanes high 50 / normal 50, max_size 4) as the stack deploys it, and the API over it. */
async function deploy(options: { alias?: boolean; scheduler?: boolean } = {}): Promise<Deployed> {
  const name = `p${++seq}`;
  const lambda = new RecordingLambda();
  const lanes: PoolsEnv['pools'][string]['lanes'] = [];
  const queues: Record<string, { url: string; dlqUrl: string }> = {};
  let prefix = '';
  let arnPrefix = '';
  for (const lane of ['high', 'normal']) {
    const queue = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-shrink-${lane}` }))).QueueUrl!;
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-shrink-${lane}-dlq` }))).QueueUrl!;
    prefix = queue.slice(0, queue.lastIndexOf('/') + 1);
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    arnPrefix = arn.slice(0, arn.lastIndexOf(':') + 1);
    const uuid = `${name}-${lane}-mapping`;
    lambda.mappings.set(uuid, { State: 'Enabled', ScalingConfig: { MaximumConcurrency: 2 } });
    lanes.push([lane, 50, `${name}-shrink-${lane}`, `${name}-shrink-${lane}-dlq`, uuid]);
    queues[lane] = { url: queue, dlqUrl: dlq };
  }
  if (options.alias) lambda.provisioned = 1;
  const env: PoolsEnv = {
    queueUrlPrefix: prefix,
    queueArnPrefix: arnPrefix,
    ...(options.scheduler ? { schedulerRoleArn: 'arn:aws:iam::000000000000:role/scheduler', scheduleGroup: 'stepflow' } : {}),
    pools: {
      shrink: {
        minSize: options.alias ? 1 : 0, maxSize: 4, batchSize: 1, timeoutSeconds: 5, idleTimeoutSeconds: 60, maxRestarts: 1, restartDelaySeconds: 0,
        ...(options.alias ? { alias: 'Stack-PoolshrinkWorker:live' } : {}),
        lanes,
      },
    },
  };
  const config = loadConfig({ STEPFLOW_TABLE: table, STEPFLOW_POOLS: JSON.stringify(env), AWS_REGION: 'us-east-1' });
  const real = createAwsClients({
    region: 'us-east-1',
    endpoints: { dynamodb: dynamo.endpoint, sqs: sqsServer.address, scheduler: schedulerServer.url },
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const clients: AwsClients = { ...real, lambda: lambda as unknown as LambdaClient };
  const handler = createApiHandler(defaultApiDeps(config, clients));
  return {
    lambda,
    queues,
    call: async (method, path, body) => {
      const response = await handler(proxyEvent(method, path, body === undefined ? null : JSON.stringify(body), { 'Content-Type': 'application/json' }), {} as never);
      return { statusCode: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
    },
  };
}

describe('pools on the deployed API', () => {
  let pool: Deployed;
  beforeEach(async () => {
    pool = await deploy({ scheduler: true });
  });

  it('lists the pool and queues a job on its lane', async () => {
    const listed = await pool.call('GET', '/pools');
    expect(listed.statusCode).toBe(200);
    expect(listed.body.pools.map((p: { name: string }) => p.name)).toEqual(['shrink']);
    const submitted = await pool.call('POST', '/pools/shrink/jobs', { payload: { image: 'a.png' }, priority: 'normal' });
    expect(submitted.statusCode).toBe(202);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pool.queues.normal.url, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => JSON.parse(m.Body!))).toEqual([{ pool: 'shrink', lane: 'normal', jobId: submitted.body.jobId, payload: { image: 'a.png' } }]);
    expect((await pool.call('GET', `/pools/shrink/jobs/${submitted.body.jobId}`)).body).toMatchObject({ status: 'queued', attempts: 0, lane: 'normal' });
  });

  it('pauses and resumes by disabling and enabling every lane\'s event source mapping, and reads paused from their State', async () => {
    expect((await pool.call('GET', '/pools/shrink')).body.paused).toBe(false);
    expect((await pool.call('POST', '/pools/shrink/pause')).statusCode).toBe(202);
    expect(pool.lambda.named('UpdateEventSourceMapping')).toEqual([
      { UUID: expect.stringMatching(/-high-mapping$/), Enabled: false },
      { UUID: expect.stringMatching(/-normal-mapping$/), Enabled: false },
    ]);
    expect((await pool.call('GET', '/pools/shrink')).body.paused).toBe(true);
    await pool.call('POST', '/pools/shrink/resume');
    expect(pool.lambda.named('UpdateEventSourceMapping').slice(2).map((c) => c.Enabled)).toEqual([true, true]);
    expect((await pool.call('GET', '/pools/shrink')).body.paused).toBe(false);
    // One lane still polling: not paused (a pause that stopped half way is not reported done).
    await pool.call('POST', '/pools/shrink/pause');
    pool.lambda.mappings.values().next().value!.State = 'Enabled';
    expect((await pool.call('GET', '/pools/shrink')).body.paused).toBe(false);
  });

  it('scales each lane\'s MaximumConcurrency to its share of maxSize, and reports the sizes Lambda holds', async () => {
    const scaled = await pool.call('PUT', '/pools/shrink/scale', { maxSize: 9 });
    expect(scaled).toMatchObject({ statusCode: 202, body: { minSize: 0, maxSize: 9 } });
    // 50/50 of 9: the larger remainder goes to the first lane.
    expect(pool.lambda.named('UpdateEventSourceMapping')).toEqual([
      { UUID: expect.stringMatching(/-high-mapping$/), ScalingConfig: { MaximumConcurrency: 5 } },
      { UUID: expect.stringMatching(/-normal-mapping$/), ScalingConfig: { MaximumConcurrency: 4 } },
    ]);
    const view = (await pool.call('GET', '/pools/shrink')).body;
    expect(view).toMatchObject({ minSize: 0, maxSize: 9 });
    expect(view.lanes.map((l: { concurrency: number }) => l.concurrency)).toEqual([5, 4]);
    // min_size 0 at deploy time: no alias to provision, refused before anything changes.
    const before = pool.lambda.commands.length;
    const warm = await pool.call('PUT', '/pools/shrink/scale', { minSize: 1 });
    expect(warm).toMatchObject({ statusCode: 409, body: { error: { code: 'min_size_not_provisioned' } } });
    expect(pool.lambda.commands.slice(before).filter((c) => c.name !== 'GetEventSourceMapping')).toEqual([]);
    // A lane below an event source's minimum of 2 is refused (400).
    expect((await pool.call('PUT', '/pools/shrink/scale', { maxSize: 3 })).statusCode).toBe(400);
  });

  it('sets and removes provisioned concurrency on the live alias of a warm pool', async () => {
    const warm = await deploy({ alias: true });
    expect((await warm.call('GET', '/pools/shrink')).body.minSize).toBe(1);
    await warm.call('PUT', '/pools/shrink/scale', { minSize: 3, maxSize: 6 });
    expect(warm.lambda.named('PutProvisionedConcurrencyConfig')).toEqual([{ FunctionName: 'Stack-PoolshrinkWorker', Qualifier: 'live', ProvisionedConcurrentExecutions: 3 }]);
    expect((await warm.call('GET', '/pools/shrink')).body).toMatchObject({ minSize: 3, maxSize: 6 });
    await warm.call('PUT', '/pools/shrink/scale', { minSize: 0 });
    expect(warm.lambda.named('DeleteProvisionedConcurrencyConfig')).toEqual([{ FunctionName: 'Stack-PoolshrinkWorker', Qualifier: 'live' }]);
    expect((await warm.call('GET', '/pools/shrink')).body).toMatchObject({ minSize: 0, maxSize: 6 });
  });

  it('sends a job delayed past 15 minutes through a one-time schedule that puts it on its lane and deletes itself', async () => {
    const submitted = await pool.call('POST', '/pools/shrink/jobs', { payload: { late: true }, priority: 'high', delay: 3600 });
    expect(submitted.statusCode).toBe(202);
    const schedule = schedulerService.get(`pool-job-${submitted.body.jobId}`, 'stepflow');
    expect(schedule).toMatchObject({
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ScheduleExpressionTimezone: 'UTC',
      Target: { Arn: expect.stringMatching(/-shrink-high$/), RoleArn: 'arn:aws:iam::000000000000:role/scheduler' },
    });
    expect(schedule.ScheduleExpression).toMatch(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/);
    const receive = () => sqs.send(new ReceiveMessageCommand({ QueueUrl: pool.queues.high.url, MaxNumberOfMessages: 10 }));
    expect((await receive()).Messages ?? []).toEqual([]);

    // The API stamps the schedule with the real time; the emulator runs on its own clock, moved past it.
    clock.advanceTo(Date.now() + 3610_000);
    await expect.poll(async () => ((await receive()).Messages ?? []).map((m) => JSON.parse(m.Body!).jobId), { timeout: 5000 }).toEqual([submitted.body.jobId]);
    expect(schedulerService.list({ namePrefix: `pool-job-${submitted.body.jobId}` })).toEqual([]);
  });

  it('refuses a delay past 15 minutes where no Scheduler role was deployed (422)', async () => {
    const plain = await deploy();
    const refused = await plain.call('POST', '/pools/shrink/jobs', { payload: 1, delay: 901, idempotencyKey: 'late' });
    expect(refused).toMatchObject({ statusCode: 422, body: { error: { code: 'delay_not_supported' } } });
    // Refused before anything was recorded: the same key submits the job afresh.
    expect(await plain.call('POST', '/pools/shrink/jobs', { payload: 1, idempotencyKey: 'late' })).toMatchObject({ statusCode: 202, body: { created: true } });
  });

  it('at() is the UTC second the delay ends, rounded up', () => {
    expect(atExpression(Date.UTC(2027, 0, 2, 3, 4, 5, 1))).toBe('at(2027-01-02T03:04:06)');
    expect(atExpression(Date.UTC(2027, 0, 2, 3, 4, 5, 0))).toBe('at(2027-01-02T03:04:05)');
  });
});
