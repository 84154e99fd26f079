import { appendFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionLogLine, ExecutionLogReader } from '../../functions/executions/execution-log-reader.ts';
import type { LogLevel } from '../../functions/shared/logger.ts';
import { parseExecutionArn } from '../engine/arn.ts';
import { readJsonLines } from '../private/json-file.ts';
import { SerialWrites } from '../private/serial-writes.ts';

/**
 * Task log lines kept per execution, one JSON Lines file each (`<workflow>--<execution>.jsonl`), appended
 * in the order they were written. Lines without an execution ARN (not from a task) are not kept.
 */
export class ExecutionLogFiles implements ExecutionLogReader {
  private readonly writes: SerialWrites;
  private ready?: Promise<unknown>;

  constructor(private readonly dir: string, onError: (message: string, error: unknown) => void = () => undefined) {
    this.writes = new SerialWrites(onError);
  }

  /** A LogSink: keeps the line when it names its execution. */
  readonly append = (line: string, _level: LogLevel): void => {
    const arn = executionArnOf(line);
    const execution = arn ? parseExecutionArn(arn) : undefined;
    if (!execution) return;
    this.writes.queue(`keeping a log line of ${execution.name}`, async () => {
      this.ready ??= mkdir(this.dir, { recursive: true });
      await this.ready;
      await appendFile(this.file(execution.workflow, execution.name), line + '\n');
    });
  };

  async read(workflow: string, executionId: string): Promise<readonly ExecutionLogLine[]> {
    await this.writes.flush();
    return readJsonLines<ExecutionLogLine>(this.file(workflow, executionId));
  }

  /** The workflow of an execution by its id alone (for `stepflow logs <id>`); undefined when it logged nothing. */
  async workflowOf(executionId: string): Promise<string | undefined> {
    const suffix = `--${encodeURIComponent(executionId)}.jsonl`;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const found = names.find((n) => n.endsWith(suffix));
    return found ? decodeURIComponent(found.slice(0, -suffix.length)) : undefined;
  }

  async flush(): Promise<void> {
    await this.writes.flush();
  }

  private file(workflow: string, executionId: string): string {
    return join(this.dir, `${encodeURIComponent(workflow)}--${encodeURIComponent(executionId)}.jsonl`);
  }
}

function executionArnOf(line: string): string | undefined {
  try {
    const fields = JSON.parse(line) as { executionArn?: unknown };
    return typeof fields.executionArn === 'string' ? fields.executionArn : undefined;
  } catch {
    return undefined;
  }
}
