/**
 * Entry of one offline worker process: loads the pool's handler, then runs each batch it is sent with the
 * worker code a deployed pool's Lambda runs, and answers with the partial batch response.
 */
import type { SQSEvent } from 'aws-lambda';
import { createPoolWorkerClients } from '../../functions/shared/clients/pool-worker-clients.ts';
import { createPoolWorker, type PoolWorker } from '../../functions/pools/worker.ts';
import type { JobHandler } from '../../functions/pools/process-batch.ts';
import type { ParentMessage, WorkerInit } from './worker-protocol.ts';

let worker: PoolWorker | undefined;
/** The handler turn: batches come ahead of time (claimed while the previous one runs), handlers run one at a time. */
let turn: Promise<unknown> = Promise.resolve();

function exclusive<T>(run: () => Promise<T>): Promise<T> {
  const mine = turn.then(run);
  turn = mine.catch(() => undefined);
  return mine;
}

async function init(message: WorkerInit): Promise<void> {
  const module = (await import(message.handler.file)) as Record<string, unknown>;
  const handler = module[message.handler.exportName] as JobHandler | undefined;
  if (typeof handler !== 'function') throw new Error(`${message.handler.file} has no function export "${message.handler.exportName}"`);
  worker = createPoolWorker({ handler, pool: message.pool, table: message.table, clients: createPoolWorkerClients(message.aws), logger: () => undefined, exclusive });
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'ping') {
    process.send?.({ type: 'pong', id: message.id });
  } else if (message.type === 'init') {
    init(message).then(() => process.send?.({ type: 'ready' }), (error: Error) => process.send?.({ type: 'fatal', message: error.message }));
  } else if (message.type === 'batch') {
    (worker as PoolWorker)(message.event as SQSEvent).then(
      (response) => process.send?.({ type: 'result', id: message.id, response }),
      (error: Error) => process.send?.({ type: 'result', id: message.id, error: `${error.name}: ${error.message}` }),
    );
  }
});
