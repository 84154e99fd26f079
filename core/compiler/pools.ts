/** Placeholder (without `${}`) of a pool lane's queue URL in the ASL: `PoolQueue_<pool>_<lane>`. */
export function poolQueuePlaceholder(pool: string, lane: string): string {
  return `PoolQueue_${pool.replace(/[^A-Za-z0-9]/g, '_')}_${lane}`;
}

/** Parses a placeholder made by {@link poolQueuePlaceholder} back, given the pools it could name. */
export function poolOfPlaceholder(placeholder: string, pools: readonly { name: string; lanes: readonly { name: string }[] }[]): { pool: string; lane: string } | undefined {
  for (const pool of pools) {
    for (const lane of pool.lanes) if (poolQueuePlaceholder(pool.name, lane.name) === placeholder) return { pool: pool.name, lane: lane.name };
  }
  return undefined;
}

/** Queue names of a pool lane, the same offline and on AWS: `<pool>-<lane>` and `<pool>-<lane>-dlq`. */
export function poolQueueNames(pool: string, lane: string): { queue: string; dlq: string } {
  return { queue: `${pool}-${lane}`, dlq: `${pool}-${lane}-dlq` };
}
