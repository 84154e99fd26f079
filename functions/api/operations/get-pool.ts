import { poolSettingsSummary } from '../../../core/definition/pool-model.ts';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { LaneView, PoolView } from '../../../core/contracts/pool-api.ts';
import type { PoolControl } from '../../pools/pool-control.ts';
import type { ApiResult } from '../response.ts';
import { poolsOf, requirePool, type PoolsDeps } from './pool-deps.ts';

/** `GET /pools/{name}`: settings, each lane's queue depths, and offline its live workers. */
export async function getPool(deps: { readonly pools?: PoolsDeps }, poolName: string): Promise<ApiResult> {
  const pools = poolsOf(deps);
  return { statusCode: 200, body: await poolView(pools, requirePool(pools, poolName)) };
}

/** `GET /pools`. */
export async function listPools(deps: { readonly pools?: PoolsDeps }): Promise<ApiResult> {
  const pools = poolsOf(deps);
  const views = await Promise.all(Object.values(pools.controls).map((control) => poolView(pools, control)));
  return { statusCode: 200, body: { pools: views } };
}

async function poolView(pools: PoolsDeps, control: PoolControl): Promise<PoolView> {
  const deployed = control.definition();
  // On AWS the sizes live in Lambda (scale changes them there); offline the definition follows the live pool.
  const d = { ...deployed, ...(await control.runtime?.sizes?.()) };
  const lanes = await Promise.all(d.lanes.map(async (lane): Promise<LaneView> => {
    const queues = control.queues[lane.name];
    const [queue, dlq] = await Promise.all([depths(pools, queues.url), depths(pools, queues.dlqUrl)]);
    return { name: lane.name, share: lane.share, concurrency: lane.concurrency, queued: queue.visible, inFlight: queue.notVisible, delayed: queue.delayed, deadLettered: dlq.visible + dlq.notVisible + dlq.delayed };
  }));
  const live = control.runtime?.live?.();
  return {
    name: d.name,
    ...poolSettingsSummary(d),
    paused: (await control.runtime?.paused()) ?? false,
    lanes,
    ...(live ? { workers: live.workers, restarts: live.restarts, degraded: live.degraded } : {}),
  };
}

/** ApproximateNumberOfMessages and its kin (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html). */
async function depths(pools: PoolsDeps, queueUrl: string) {
  const { Attributes = {} } = await pools.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}
