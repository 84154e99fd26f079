import { transition, type AslState, type ChoiceState, type MapState, type PassState } from '../../asl/index.ts';
import { stateNames } from './names.ts';

export interface MapStatesProps {
  /** The Map state's name. */
  readonly name: string;
  /** Tasks in hand-out order, each with the state its iteration starts at. */
  readonly items: readonly { readonly task: string; readonly state: string }[];
  readonly maxConcurrency: number;
  /** The iteration states of every task (each ends its iteration with `{ <task>: … }`). */
  readonly processor: Record<string, AslState>;
  /** True when no task has run yet in this scope (the state input is the execution input). */
  readonly first: boolean;
  readonly next?: string;
}

/**
 * Independent tasks handed out `maxConcurrency` at a time: a new one starts as soon as one ends
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html). A Pass state lists the
 * task names with the results so far, each iteration picks its task's states with a Choice, and the
 * Map's ResultSelector names each task's result by its place in the list (no intrinsic function, so no
 * limit on the number of tasks). After a first task the results so far are merged back by one Pass.
 */
export function mapStates(props: MapStatesProps): Record<string, AslState> {
  const { name, items, first } = props;
  const itemsState = stateNames.mapItems(name);
  const dispatch = stateNames.mapDispatch(name);
  const merge = stateNames.mapMerge(name);
  const list: PassState = {
    Type: 'Pass',
    Parameters: { items: items.map((i) => i.task), ...(first ? { results: {} } : { 'results.$': '$' }) },
    Next: name,
  };
  const choice: ChoiceState = {
    Type: 'Choice',
    Choices: items.map((i) => ({ Variable: '$.task', StringEquals: i.task, Next: i.state })),
  };
  const map: MapState<AslState> = {
    Type: 'Map',
    ItemsPath: '$.items',
    ItemSelector: { 'task.$': '$$.Map.Item.Value', 'results.$': '$.results' },
    MaxConcurrency: props.maxConcurrency,
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: dispatch, States: { [dispatch]: choice, ...props.processor } },
    ResultSelector: Object.fromEntries(items.map((i, index) => [`${i.task}.$`, `$[${index}].${i.task}`])),
    ...(first ? transition(props.next) : { ResultPath: '$.items', Next: merge }),
  };
  const states: Record<string, AslState> = { [itemsState]: list, [name]: map };
  if (!first) {
    states[merge] = {
      Type: 'Pass',
      Parameters: { 'results.$': 'States.JsonMerge($.results, $.items, false)' },
      OutputPath: '$.results',
      ...transition(props.next),
    };
  }
  return states;
}
