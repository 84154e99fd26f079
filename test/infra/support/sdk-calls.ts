import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * IAM action of each SDK command a handler can send, read from the source: the modules reachable from
 * the handler entry through relative value imports, and in them every `new XCommand(` whose class is imported
 * from an AWS SDK package. A command inside a class method (two-space indented member, as the stores are
 * written) counts only when some reachable module calls `.<method>(`: the execution store is shared by the
 * API, the recorder and the dispatcher, which call different methods of it. Mapping table: the service prefix
 * of each client package, and the DynamoDB document-client commands whose names differ from their actions.
 */
const SERVICE_PREFIX: Record<string, string> = {
  '@aws-sdk/client-sfn': 'states',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-scheduler': 'scheduler',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-lambda': 'lambda',
};

/**
 * SQS batch calls are authorized as their single-message actions
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api-actions.html).
 */
const SQS_BATCH_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

const DOCUMENT_CLIENT_ACTIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

export interface SdkCall {
  readonly action: string;
  readonly file: string;
  /** The class method sending it, when it is sent from one. */
  readonly method?: string;
  /** Whether the command names an index (`IndexName:` within its call). */
  readonly indexed: boolean;
}

/** Every SDK call reachable from `entry`, by IAM action (one entry per action and file). */
export function sdkCallsFrom(entry: string): SdkCall[] {
  const seen = new Set<string>();
  const calls: SdkCall[] = [];
  const sources: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    sources.push(source);
    const commandPackages = new Map<string, string>();
    for (const match of source.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/gm)) {
      const [, typeOnly, names, from] = match;
      if (typeOnly) continue;
      if (from.startsWith('.')) {
        visit(resolveModule(file, from));
        continue;
      }
      if (!SERVICE_PREFIX[from]) continue;
      for (const raw of names.split(',')) {
        const name = raw.trim();
        if (name.endsWith('Command') && !name.startsWith('type ')) commandPackages.set(name, from);
      }
    }
    for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)) visit(resolveModule(file, match[1]));
    for (const match of source.matchAll(/new\s+([A-Za-z]+Command)\(/g)) {
      const from = commandPackages.get(match[1]);
      if (!from) continue;
      const before = source.slice(0, match.index);
      const method = [...before.matchAll(/^ {2}(?:(?:private|public|protected|static|async)\s+)*([A-Za-z_]\w*)\s*\(/gm)].at(-1)?.[1];
      const call = source.slice(match.index, source.indexOf('}),', match.index) + 1 || undefined);
      calls.push({ action: actionOf(match[1], from), file, method: /\bclass\s+\w+/.test(source) ? method : undefined, indexed: /IndexName:/.test(call) });
    }
  };
  visit(resolve(entry));
  const called = (method: string) => sources.some((source) => source.includes(`.${method}(`));
  return dedupe(calls.filter((call) => call.method === undefined || call.method === 'constructor' || called(call.method)));
}

function actionOf(command: string, from: string): string {
  const operation = command.slice(0, -'Command'.length);
  const name = from === '@aws-sdk/lib-dynamodb'
    ? DOCUMENT_CLIENT_ACTIONS[operation] ?? operation
    : from === '@aws-sdk/client-sqs' ? SQS_BATCH_ACTIONS[operation] ?? operation : operation;
  return `${SERVICE_PREFIX[from]}:${name}`;
}

function resolveModule(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), resolve(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

function dedupe(calls: SdkCall[]): SdkCall[] {
  const keyed = new Map(calls.map((call) => [`${call.action} ${call.file} ${call.method} ${call.indexed}`, call]));
  return [...keyed.values()];
}
