import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transition, type AslState, type Catcher, type MapState, type PassState, type TaskState } from '../../asl/index.ts';
import type { S3ItemSource } from '../../definition/s3-items.ts';
import { ITEM_FAILURE_KEY, type ToleranceRequest } from '../../contracts/fan-out.ts';
import type { TaskDefinition } from '../../definition/model.ts';
import type { TaskFunctionPlan, TaskStatePlan } from '../plan.ts';
import { callbackState, callbackStatePlan } from './callback.ts';
import { stateNames } from './names.ts';
import { LAMBDA_SERVICE_RETRY, replacesInput, retriers, type StatePosition } from './task.ts';

/** The pipeline function (`functions/pipelines/handler.ts`): `.ts` beside the sources, `.js` in the built package. */
export const PIPELINE_FUNCTION_ID = 'stepflow_pipeline';
export const PIPELINE_PLACEHOLDER = `TaskFunction_${PIPELINE_FUNCTION_ID}`;
const PIPELINE_TIMEOUT_SECONDS = 30;

export function pipelineFunction(): TaskFunctionPlan {
  return {
    placeholder: PIPELINE_PLACEHOLDER,
    id: PIPELINE_FUNCTION_ID,
    handler: { file: fileURLToPath(new URL(`../../../functions/pipelines/handler${extname(import.meta.url)}`, import.meta.url)), exportName: 'handler' },
    timeoutSeconds: PIPELINE_TIMEOUT_SECONDS,
    memoryMb: 256,
    tasks: [],
  };
}

/** True when some fan-out stage tolerates failures: the workflow needs the pipeline function. */
export const needsPipelineFunction = (tasks: readonly TaskDefinition[]): boolean =>
  tasks.some((t) => t.fanOut?.toleratedFailurePercentage !== undefined);

export interface FanOutStatesProps {
  readonly task: TaskDefinition;
  readonly workflow: string;
  readonly position: StatePosition;
  /** The item task's Resource placeholder, without `${}`. */
  readonly placeholder: string;
  readonly extraPayload?: Record<string, unknown>;
  readonly timeoutSeconds: number;
  /** Where a failed stage goes instead of failing the execution (a saga's compensation path). */
  readonly catchers?: readonly Catcher[];
}

export interface FanOutStates {
  readonly states: Record<string, AslState>;
  readonly taskStates: Record<string, TaskStatePlan>;
  /** The stage's first state: the Map, or the state partitioning the items before an inline Map of batches. */
  readonly start: string;
}

/**
 * A fan-out stage: a Map state named after the stage runs the item task once per item of `for_each`,
 * `maxConcurrency` at a time (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html).
 * Each iteration gets `{ item, index, results }` (ItemSelector, with `$$.Map.Item.Value` and `.Index`)
 * and its task reads the execution input from `$$.Execution.Input`, as every task does. The Map's result,
 * the item results in order, is stored under the stage's name.
 *
 * `large`: a Distributed Map (ProcessorConfig DISTRIBUTED, a STANDARD child execution per item),
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html. ItemsPath reads
 * JSON from the state input or the Context object (`$$.Execution.Input`), which both modes accept
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 *
 * tolerated_failure_percentage: ToleratedFailurePercentage exists only on a Distributed Map, so both
 * modes tolerate failures the same way: each iteration catches its task's failure and leaves a failure
 * record, and the stage's `<stage>.tolerance` state (the pipeline function) fails the stage with
 * stepflow.ToleratedFailureExceeded when their share exceeds the tolerance, else stores
 * `{ items, failures, failed, total }`.
 */
export function fanOutStates(props: FanOutStatesProps): FanOutStates {
  const { task, position } = props;
  const fanOut = task.fanOut!;
  const stage = task.name;
  const replaces = replacesInput(position);
  const tolerant = fanOut.toleratedFailurePercentage !== undefined;
  const itemState = stateNames.fanOutItem(stage);
  const failedState = stateNames.fanOutItemFailed(stage);
  const check = stateNames.fanOutTolerance(stage);

  const { items } = fanOut;
  const path = items.source === 's3' ? '' : items.path.map((key) => `.${key}`).join('');
  const itemsPath = items.source === 'input' ? `$$.Execution.Input${path}` : `${position.isolated ? '$.results' : '$'}${path}`;
  // Items in S3 are read by the Distributed Map itself (ItemReader); ItemsPath then does not apply.
  const itemSource = items.source === 's3' ? { ItemReader: itemReader(items) } : { ItemsPath: itemsPath };
  const results = position.isolated ? { 'results.$': '$.results' } : position.first ? { results: {} } : { 'results.$': '$' };
  const batch = fanOut.batchSize;
  const distributedBatches = batch !== undefined && fanOut.large;
  const inlineBatches = batch !== undefined && !fanOut.large;
  const partition = stateNames.fanOutPartition(stage);
  const restore = stateNames.fanOutRestore(stage);
  // What an iteration's task receives of its item(s): one item and its index; a batch's items (see README, Pipelines).
  const itemFields = distributedBatches
    ? { 'results.$': '$.BatchInput.results', 'items.$': '$.Items' }
    : inlineBatches ? { 'results.$': '$.results', 'items.$': '$.items' } : { 'results.$': '$.results', 'item.$': '$.item', 'index.$': '$.index' };

  const item: TaskState = {
    Type: 'Task',
    ...(task.description !== undefined ? { Comment: task.description } : {}),
    Resource: `\${${props.placeholder}}`,
    Parameters: {
      task: fanOut.itemTask,
      workflow: props.workflow,
      'execution.$': '$$.Execution.Id',
      'attempt.$': '$$.State.RetryCount',
      'input.$': '$$.Execution.Input',
      ...itemFields,
      ...props.extraPayload,
    },
    TimeoutSeconds: props.timeoutSeconds,
    Retry: retriers(task),
    ...(tolerant ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: failedState }] } : {}),
    End: true,
  };
  const processor: Record<string, AslState> = { [itemState]: task.type === 'callback' ? callbackState(item, { ...task, name: fanOut.itemTask }, props.workflow) : item };
  if (tolerant) {
    const failed: PassState = { Type: 'Pass', Parameters: { [ITEM_FAILURE_KEY]: { 'Error.$': '$.Error', 'Cause.$': '$.Cause' } }, End: true };
    processor[failedState] = failed;
  }

  const processorFields = {
    MaxConcurrency: fanOut.maxConcurrency,
    ItemProcessor: {
      ProcessorConfig: fanOut.large ? { Mode: 'DISTRIBUTED' as const, ExecutionType: 'STANDARD' as const } : { Mode: 'INLINE' as const },
      StartAt: itemState,
      States: processor,
    },
  };
  const after = tolerant ? { Next: check } : transition(position.next);
  const states: Record<string, AslState> = {};
  if (inlineBatches) {
    // An inline Map cannot batch (ItemBatcher is a Distributed Map field): a Pass state partitions the items
    // with States.ArrayPartition (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays),
    // keeping the results beside them; the Map runs once per batch, and OutputPath gives the results back.
    states[partition] = {
      Type: 'Pass',
      Parameters: { 'batches.$': `States.ArrayPartition(${itemsPath}, ${batch})`, ...results },
      Next: stage,
    };
    const catchers = props.catchers?.map((c) => ({ ...c, ResultPath: c.ResultPath ? `$.results${c.ResultPath.slice(1)}` : c.ResultPath, Next: restore }));
    states[stage] = {
      Type: 'Map',
      ItemsPath: '$.batches',
      ItemSelector: { 'items.$': '$$.Map.Item.Value', 'results.$': '$.results' },
      ...processorFields,
      ResultPath: `$.results.${stage}`,
      OutputPath: '$.results',
      ...(catchers ? { Catch: catchers } : {}),
      ...after,
    };
    // A caught failure leaves the state data as it was at the Map: the results, again, on the way to the catcher's state.
    if (props.catchers?.length) states[restore] = { Type: 'Pass', OutputPath: '$.results', Next: props.catchers[0].Next };
  } else {
    states[stage] = {
      Type: 'Map',
      ...itemSource,
      // ItemBatcher puts the items of a child execution in `Items`, and BatchInput beside them
      // (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html).
      ...(distributedBatches
        ? { ItemBatcher: { MaxItemsPerBatch: batch, BatchInput: results } }
        : { ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', ...results } }),
      ...processorFields,
      ...(replaces ? { ResultSelector: { [`${stage}.$`]: '$' } } : { ResultPath: `$.${stage}` }),
      ...(props.catchers ? { Catch: props.catchers } : {}),
      ...after,
    } as MapState<AslState>;
  }
  const taskStates: Record<string, TaskStatePlan> = {
    [itemState]: task.type === 'callback'
      ? callbackStatePlan({ ...task, name: fanOut.itemTask }, props.workflow, stage, props.placeholder)
      : { task: stage, kind: task.type === 'function' ? 'function' : 'service', placeholder: props.placeholder },
  };
  if (tolerant) {
    const request: Omit<ToleranceRequest, 'items'> & { 'items.$': string } = {
      action: 'tolerance',
      stage,
      tolerance: fanOut.toleratedFailurePercentage!,
      'items.$': `$.${stage}`,
    };
    states[check] = {
      Type: 'Task',
      Resource: `\${${PIPELINE_PLACEHOLDER}}`,
      Parameters: request,
      ResultPath: `$.${stage}`,
      TimeoutSeconds: PIPELINE_TIMEOUT_SECONDS,
      Retry: [LAMBDA_SERVICE_RETRY],
      ...(props.catchers ? { Catch: props.catchers } : {}),
      ...transition(position.next),
    };
    taskStates[check] = { task: stage, kind: 'function', placeholder: PIPELINE_PLACEHOLDER };
  }
  return { states, taskStates, start: inlineBatches ? partition : stage };
}

/**
 * A Distributed Map's reader of one S3 object: `s3:getObject` with the object's InputType, JSON by default
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html). With it, ItemSelector's
 * `$$.Map.Item.Value` and `$$.Map.Item.Index` are the item read and its place in the object, and `$` is still the
 * Map's input; ItemBatcher's `Items` are the items read. CSV rows become objects keyed by the first row's headers.
 */
export function itemReader(items: S3ItemSource): Record<string, unknown> {
  const config = items.format === 'csv' ? { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } : { InputType: items.format === 'jsonl' ? 'JSONL' : 'JSON' };
  return { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: config, Parameters: { Bucket: items.bucket, Key: items.key } };
}
