import type { AslState, Catcher } from '../../core/asl/index.ts';

/**
 * aws-local-stepfunctions runs every Map inline and knows no ItemBatcher, so a Distributed Map that batches
 * its items (ItemBatcher MaxItemsPerBatch) is made runnable as stepflow's inline batches are: the state
 * keeps its name but becomes a Pass partitioning the items with States.ArrayPartition beside the state data
 * (`{ batches, input }`), then `<name>.offline_batches`, the Map, runs once per batch with the input AWS
 * gives a batched child execution, `{ Items, BatchInput }`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html). Its ResultPath and
 * Catch ResultPaths move under `input`, and the state data is `input` again after it. Changes `states` in place.
 */
export function batchOffline(states: Record<string, AslState>, name: string): void {
  const map = states[name];
  if (map.Type !== 'Map' || !map.ItemBatcher) return;
  const { ItemBatcher, ItemsPath, ResultPath, Catch, ...rest } = map;
  const { MaxItemsPerBatch, BatchInput } = ItemBatcher as { MaxItemsPerBatch?: number; BatchInput?: Record<string, unknown> };
  const runner = `${name}.offline_batches`;
  const underInput = (path: string) => `$.input${path.slice(1)}`;
  states[name] = {
    Type: 'Pass',
    Parameters: { 'batches.$': `States.ArrayPartition(${ItemsPath ?? '$'}, ${MaxItemsPerBatch ?? 1})`, 'input.$': '$' },
    Next: runner,
  };
  const catchers: Catcher[] = (Catch ?? []).map((c, i) => {
    const restore = `${name}.offline_restore_${i}`;
    states[restore] = { Type: 'Pass', OutputPath: '$.input', Next: c.Next };
    return { ...c, ResultPath: typeof c.ResultPath === 'string' ? underInput(c.ResultPath) : c.ResultPath, Next: restore };
  });
  states[runner] = {
    ...rest,
    ItemsPath: '$.batches',
    ItemSelector: { 'Items.$': '$$.Map.Item.Value', BatchInput: reroot(BatchInput ?? {}) },
    ...(typeof ResultPath === 'string' ? { ResultPath: underInput(ResultPath), OutputPath: '$.input' } : ResultPath === null ? { ResultPath: null, OutputPath: '$.input' } : {}),
    ...(catchers.length ? { Catch: catchers } : {}),
  } as AslState;
}

/** A payload template read from `{ batches, input }` instead of the state data itself. */
export function reroot(template: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template).map(([key, value]) => {
    if (key.endsWith('.$') && typeof value === 'string' && value.startsWith('$') && !value.startsWith('$$')) return [key, `$.input${value.slice(1)}`];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return [key, reroot(value as Record<string, unknown>)];
    return [key, value];
  }));
}
