/** Shard number (1, 2, …) of each workflow, by workflow name. */
export type ShardAssignment = Readonly<Record<string, number>>;

export interface ShardRequest {
  /** Every workflow to deploy, in definition order, with its resource estimate. */
  readonly workflows: readonly { readonly name: string; readonly resources: number }[];
  /** Assignments recorded by earlier synths (`stepflow:shards` in cdk.context.json). */
  readonly recorded?: ShardAssignment;
  /** Resources a shard stack may hold. */
  readonly budget: number;
}

/**
 * Places workflows in shard stacks so that adding a workflow never moves another: a workflow with a recorded
 * shard stays there (even past the budget, which only a removal of neighbours can fix: moving it would
 * replace its state machine), and each new workflow goes to the first shard with room, or a new shard.
 */
export function assignShards(request: ShardRequest): ShardAssignment {
  const assignment: Record<string, number> = {};
  const load = new Map<number, number>();
  const names = new Set(request.workflows.map((w) => w.name));
  for (const workflow of request.workflows) {
    const shard = request.recorded?.[workflow.name];
    if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 1) continue;
    assignment[workflow.name] = shard;
    load.set(shard, (load.get(shard) ?? 0) + workflow.resources);
  }
  for (const workflow of request.workflows) {
    if (assignment[workflow.name] !== undefined) continue;
    let shard = 1;
    while ((load.get(shard) ?? 0) > 0 && (load.get(shard) ?? 0) + workflow.resources > request.budget) shard++;
    assignment[workflow.name] = shard;
    load.set(shard, (load.get(shard) ?? 0) + workflow.resources);
  }
  return Object.fromEntries(Object.entries(assignment).filter(([name]) => names.has(name)));
}
