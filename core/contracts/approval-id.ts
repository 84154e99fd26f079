import { createHash } from 'node:crypto';

/**
 * An approval's id: task tokens run to about 1 KB, too long for a path segment, so the URL names the
 * approval by a hash of its execution and task (an approval task runs once per execution).
 */
export function approvalId(executionArn: string, task: string): string {
  return createHash('sha256').update(`${executionArn}\n${task}`).digest('hex').slice(0, 32);
}
