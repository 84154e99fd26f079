/** One log line of a task, as its handler wrote it plus the ids of the invocation. */
export type ExecutionLogLine = Readonly<Record<string, unknown>>;

/**
 * Where an execution's task log lines are read from. Offline, the dev stack's files under `.stepflow/logs/`;
 * on AWS the lines are in CloudWatch Logs and the API is built without a reader.
 */
export interface ExecutionLogReader {
  /** The lines of one execution, oldest first; none when it logged nothing. */
  read(workflow: string, executionId: string): Promise<readonly ExecutionLogLine[]>;
}
