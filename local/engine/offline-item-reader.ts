import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { AslState, Catcher } from '../../core/asl/index.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { LambdaHandler } from './handler-loader.ts';
import { reroot } from './offline-batches.ts';

/** The in-process "function" reading a Distributed Map's ItemReader object from the local data dir. */
export const S3_ITEM_READER: HandlerRef = { file: 'stepflow:s3-item-reader', exportName: 'read' };

/**
 * Step Functions' error when a Map cannot read its ItemReader's items (a missing object, bad JSON, no
 * permission): https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
 */
export const ITEM_READER_FAILED = 'States.ItemReaderFailed';

/** What the reader Task's Parameters carry: the ItemReader's object and input type, and the Map's input. */
export interface ItemReaderRequest {
  readonly Bucket: string;
  readonly Key: string;
  readonly InputType: 'JSON' | 'JSONL' | 'CSV';
  /** ItemBatcher MaxItemsPerBatch: the reader hands back the batches, in order. */
  readonly MaxItemsPerBatch?: number;
  readonly input: unknown;
}

/**
 * aws-local-stepfunctions knows no ItemReader, so a Map reading its items from S3 is made runnable as
 * offline-batches.ts makes a batching Map: the state keeps its name but becomes a Task reading the object
 * (`<dir>/<bucket>/<key>`, S3_ITEM_READER) into `{ items, input }`, then `<name>.offline_items`, the Map,
 * runs over `items` (one batch each with an ItemBatcher) with its selectors, ResultPath and catchers moved
 * under `input`. The reader Task keeps the Map's catchers: a reader failure is the Map's failure, on its
 * input. Returns false (and changes nothing) for a Map without an ItemReader; else changes `states` in place.
 */
export function readItemsOffline(states: Record<string, AslState>, name: string, readerResource: string): boolean {
  const map = states[name];
  if (map.Type !== 'Map' || !map.ItemReader) return false;
  const { ItemReader, ItemBatcher, ItemsPath: _, ItemSelector, ResultPath, Catch, ...rest } = map;
  const reader = ItemReader as { ReaderConfig?: { InputType?: ItemReaderRequest['InputType'] }; Parameters?: { Bucket?: string; Key?: string } };
  const { MaxItemsPerBatch, BatchInput } = (ItemBatcher ?? {}) as { MaxItemsPerBatch?: number; BatchInput?: Record<string, unknown> };
  const runner = `${name}.offline_items`;
  const request = {
    Bucket: reader.Parameters?.Bucket,
    Key: reader.Parameters?.Key,
    InputType: reader.ReaderConfig?.InputType ?? 'JSON',
    ...(ItemBatcher ? { MaxItemsPerBatch: MaxItemsPerBatch ?? 1 } : {}),
    'input.$': '$',
  };
  states[name] = { Type: 'Task', Resource: readerResource, Parameters: request, TimeoutSeconds: 60, ...(Catch ? { Catch } : {}), Next: runner };
  const underInput = (path: string) => `$.input${path.slice(1)}`;
  const catchers: Catcher[] = (Catch ?? []).map((c, i) => {
    const restore = `${name}.offline_restore_${i}`;
    states[restore] = { Type: 'Pass', OutputPath: '$.input', Next: c.Next };
    return { ...c, ResultPath: typeof c.ResultPath === 'string' ? underInput(c.ResultPath) : c.ResultPath, Next: restore };
  });
  const selector = ItemBatcher
    // A batched child execution's input: `{ Items, BatchInput }` (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html).
    ? { ItemSelector: { 'Items.$': '$$.Map.Item.Value', BatchInput: reroot(BatchInput ?? {}) } }
    : ItemSelector ? { ItemSelector: reroot(ItemSelector as Record<string, unknown>) } : {};
  states[runner] = {
    ...rest,
    ItemsPath: '$.items',
    ...selector,
    ...(typeof ResultPath === 'string' ? { ResultPath: underInput(ResultPath), OutputPath: '$.input' } : ResultPath === null ? { ResultPath: null, OutputPath: '$.input' } : {}),
    ...(catchers.length ? { Catch: catchers } : {}),
  } as AslState;
  return true;
}

/**
 * Reads the object `<dir>/<Bucket>/<Key>` and answers `{ items, input }` (items in batches with
 * MaxItemsPerBatch). A missing or unreadable object fails with States.ItemReaderFailed naming the file.
 */
export function s3ItemReaderHandler(dir: string): LambdaHandler {
  return async (event) => {
    const { Bucket, Key, InputType, MaxItemsPerBatch, input } = event as ItemReaderRequest;
    const root = resolve(dir);
    const file = resolve(root, Bucket, Key);
    const where = `s3://${Bucket}/${Key} (offline: ${file})`;
    if (!file.startsWith(root + sep)) throw readerFailed(`the key of ${where} leads outside ${root}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw readerFailed(code === 'ENOENT'
        ? `S3.NoSuchKey: no object ${where}; put the items there (${join(relative(process.cwd(), root) || '.', Bucket, Key)})`
        : `cannot read ${where}: ${(error as Error).message}`);
    }
    const items = parseItems(text, InputType, where);
    return { items: MaxItemsPerBatch ? partition(items, MaxItemsPerBatch) : items, input };
  };
}

function parseItems(text: string, type: ItemReaderRequest['InputType'], where: string): unknown[] {
  if (type === 'CSV') return parseCsvRows(text, where);
  if (type === 'JSONL') {
    return text.split(/\r?\n/).flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw readerFailed(`${where} line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw readerFailed(`${where} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw readerFailed(`${where} holds ${parsed === null ? 'null' : typeof parsed}, not a JSON array of items`);
  return parsed;
}

/**
 * CSV with the headers in the first row: each further row an object of strings keyed by them, as
 * ItemReader's CSVHeaderLocation FIRST_ROW gives (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
 * Quoted fields may hold commas, line breaks and doubled quotes.
 */
function parseCsvRows(text: string, where: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (quoted) throw readerFailed(`${where} ends inside a quoted field`);
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const [headers, ...records] = rows.filter((r) => r.length > 1 || r[0] !== '');
  if (!headers) return [];
  return records.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
}

function partition<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

function readerFailed(message: string): Error {
  return Object.assign(new Error(message), { name: ITEM_READER_FAILED });
}
