import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ShardAssignment } from './shard-assignment.ts';

/** Context key (cdk.context.json) holding the shard of each workflow, per base stack name. */
export const SHARDS_CONTEXT_KEY = 'stepflow:shards';

/** The recorded assignment of one base stack, from the `stepflow:shards` context value. */
export function recordedShards(context: unknown, stackName: string): ShardAssignment | undefined {
  const value = typeof context === 'string' ? JSON.parse(context) : context;
  if (!value || typeof value !== 'object') return undefined;
  const entry = (value as Record<string, unknown>)[stackName];
  return entry && typeof entry === 'object' ? (entry as ShardAssignment) : undefined;
}

/**
 * Writes the stack's assignment into cdk.context.json (kept in version control, like CDK's own lookups) when it
 * changed, so the next synth places every existing workflow where it is. Returns whether the file changed.
 */
export function recordShards(file: string, stackName: string, assignment: ShardAssignment | undefined): boolean {
  const context = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const all = { ...((context[SHARDS_CONTEXT_KEY] as Record<string, ShardAssignment> | undefined) ?? {}) };
  if (JSON.stringify(all[stackName] ?? null) === JSON.stringify(assignment ?? null)) return false;
  if (assignment) all[stackName] = assignment;
  else delete all[stackName];
  writeFileSync(file, `${JSON.stringify({ ...context, [SHARDS_CONTEXT_KEY]: all }, null, 2)}\n`);
  return true;
}
