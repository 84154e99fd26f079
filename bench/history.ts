/**
 * GetExecutionHistory paging: pages per second, through the AWS SDK against the dev stack's one AWS endpoint,
 * for an execution of a chain of no-op tasks long enough for about 1,000 history events (five events per
 * Lambda Task state, plus the execution's own).
 *
 * Size: STEPFLOW_BENCH_HISTORY_EVENTS (default 1000; e.g. 60 for a smoke run), pages of
 * STEPFLOW_BENCH_HISTORY_PAGE events (default 100, the SDK's usual maxResults). Run alone:
 * `npm run bench -- --only history`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startDevStack } from '../local/dev-stack.ts';

export interface HistoryFigures {
  readonly events: number;
  readonly pageSize: number;
  readonly pagesRead: number;
  readonly pagesPerSecond: number;
  /** The whole history read page by page, oldest first. */
  readonly wholeHistoryMs: number;
}

const NOOP = fileURLToPath(new URL('./fixtures/noop.ts', import.meta.url));
/** Events of one Lambda Task state: TaskStateEntered, LambdaFunctionScheduled, -Started, -Succeeded, TaskStateExited. */
const EVENTS_PER_TASK = 5;
const MIN_DURATION_MS = 2000;

export async function historyBench(options: { events?: number; pageSize?: number } = {}): Promise<HistoryFigures> {
  const wanted = options.events ?? (Number(process.env.STEPFLOW_BENCH_HISTORY_EVENTS) || 1000);
  const pageSize = options.pageSize ?? (Number(process.env.STEPFLOW_BENCH_HISTORY_PAGE) || 100);
  const tasks = Math.max(1, Math.round((wanted - 2) / EVENTS_PER_TASK));
  const project = mkdtempSync(join(tmpdir(), 'stepflow-bench-history-'));
  mkdirSync(join(project, 'definitions'));
  const lines = ['workflow:', '  name: long_history', '  engine:', '    type: sequential', '  tasks:'];
  for (let i = 0; i < tasks; i++) {
    lines.push(`    - name: t${i}`, `      handler: ${NOOP}#handler`);
    if (i > 0) lines.push(`      depends_on: [t${i - 1}]`);
  }
  writeFileSync(join(project, 'definitions', 'long-history.yaml'), lines.join('\n') + '\n');

  const stack = await startDevStack({ definitionsDir: join(project, 'definitions'), dataDir: join(project, '.stepflow'), port: 0, servicesPort: 0, log: () => undefined, taskLog: () => undefined });
  try {
    const started = await stack.engine.start('long_history', {});
    const done = await stack.engine.wait(started.executionArn);
    if (done.status !== 'SUCCEEDED') throw new Error(`the long execution ended ${done.status}: ${done.cause}`);
    const sfn = new SFNClient({ region: 'us-east-1', endpoint: stack.awsUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const readAll = async () => {
      let pages = 0;
      let events = 0;
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: pageSize, nextToken }));
        events += page.events?.length ?? 0;
        nextToken = page.nextToken;
        pages++;
      } while (nextToken);
      return { pages, events };
    };
    const first = await readAll(); // warm: SDK, JIT, the history file read once
    let pagesRead = 0;
    let rounds = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < MIN_DURATION_MS || rounds < 3) {
      pagesRead += (await readAll()).pages;
      rounds++;
    }
    const elapsed = performance.now() - t0;
    sfn.destroy();
    return {
      events: first.events,
      pageSize,
      pagesRead,
      pagesPerSecond: Math.round((pagesRead / elapsed) * 1000 * 10) / 10,
      wholeHistoryMs: Math.round((elapsed / rounds) * 100) / 100,
    };
  } finally {
    await stack.stop();
    rmSync(project, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await historyBench(), null, 2));
