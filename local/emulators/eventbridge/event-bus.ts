import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compileEventPattern, validateEventPattern, type EventMatcher } from '../../../core/scheduling/event-pattern.ts';
import { systemTimerClock, type TimerClock, type TimerHandle } from '../../scheduling/timer.ts';
import { targetInput, type TargetInputSettings } from '../../scheduling/target-input.ts';

/** An EventBridge error with its wire code (`__type`), e.g. ResourceNotFoundException. */
export class EventBridgeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = code;
  }
}

export interface RuleInput {
  readonly Name: string;
  readonly EventBusName?: string;
  /** JSON text. */
  readonly EventPattern?: string;
  readonly ScheduleExpression?: string;
  /** @default 'ENABLED' */
  readonly State?: 'ENABLED' | 'DISABLED';
  readonly Description?: string;
}

export interface RuleDescription {
  readonly Name: string;
  readonly Arn: string;
  readonly EventBusName: string;
  readonly EventPattern?: string;
  readonly ScheduleExpression?: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly Description?: string;
}

export interface Target extends TargetInputSettings {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
}

export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** JSON text of an object. */
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  /** @default now */
  readonly Time?: Date;
  /** Name or ARN. @default 'default' */
  readonly EventBusName?: string;
}

export type PutEventsResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

/** The event as rules match it and targets receive it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html). */
export interface EventEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** One delivery of one event to one target of one matching rule. */
export interface Delivery {
  readonly eventId: string;
  readonly rule: string;
  readonly ruleArn: string;
  readonly bus: string;
  readonly target: Target;
  /** The transformed input (JSON text, or plain text from a non-JSON template). */
  readonly payload: string;
  /** 1 on the first try. */
  attempt: number;
}

/** Calls one target (in the dev stack: the dispatcher in-process, or a state machine on the LocalEngine). */
export type TargetInvoker = (delivery: Delivery) => Promise<void>;

export interface LocalEventBusProps {
  readonly invoke: TargetInvoker;
  /** Buses besides `default` (the project bus). @default [] */
  readonly buses?: readonly string[];
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly account?: string;
  /** @default systemTimerClock */
  readonly clock?: TimerClock;
  /**
   * Tries per delivery before it is dead-lettered. EventBridge retries for up to 24 hours and 185 times
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html); offline, fewer.
   * @default 5
   */
  readonly maxAttempts?: number;
  /** First retry wait, doubled each time. @default 200 */
  readonly retryBaseMs?: number;
  /** @default 10_000 */
  readonly retryMaxMs?: number;
  /** Deliveries running at once. @default 16 */
  readonly concurrency?: number;
  /**
   * Folder for rules and targets (`rules.json`), deliveries not yet done (`pending.jsonl`, rewritten as they
   * are queued and settled, replayed on the next start) and deliveries that failed every try
   * (`dead-letters.jsonl`). @default in memory only
   */
  readonly dataDir?: string;
  /** Told of a failed write to `dataDir`; nothing else stops for it. @default console.error */
  readonly onError?: (message: string, error: unknown) => void;
}

interface Rule {
  readonly name: string;
  readonly bus: string;
  readonly arn: string;
  readonly pattern?: string;
  readonly scheduleExpression?: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly description?: string;
  readonly matcher?: EventMatcher;
  /** Re-created from the definitions at every start, so never written to `rules.json`. */
  readonly declared: boolean;
  targets: Target[];
}

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html and the service quotas. */
const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_DETAIL_TYPE = 128;
const MAX_TARGETS_PER_RULE = 5;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/**
 * EventBridge offline: buses, rules with compiled event patterns, targets with their input settings, and
 * delivery. An accepted event is never dropped: each matching target gets it through a queue with retries
 * and exponential backoff; a delivery failing every try is appended to `dead-letters.jsonl` (EventBridge's
 * dead-letter queue); deliveries not yet done (queued, running or waiting for a retry) are kept in
 * `pending.jsonl` as they change, so the next start delivers them even after a crash.
 */
export class LocalEventBus {
  readonly region: string;
  readonly account: string;
  private readonly clock: TimerClock;
  private readonly buses: Set<string>;
  private readonly rules = new Map<string, Rule>();
  private readonly queue: Delivery[] = [];
  private readonly waiting = new Map<Delivery, TimerHandle>();
  /** Deliveries being tried now, by their run. */
  private readonly running = new Map<Promise<void>, Delivery>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;
  private saving: Promise<void> = Promise.resolve();
  /** A rewrite of `pending.jsonl` is queued and has not started: it will see every change made before it starts. */
  private pendingSaveQueued = false;

  constructor(private readonly props: LocalEventBusProps) {
    this.region = props.region ?? 'us-east-1';
    this.account = props.account ?? '000000000000';
    this.clock = props.clock ?? systemTimerClock;
    this.buses = new Set(['default', ...(props.buses ?? [])]);
  }

  /** Loads saved rules and replays deliveries left pending by the previous run. */
  async load(): Promise<void> {
    const dir = this.props.dataDir;
    if (!dir) return;
    const saved = await readJson<{ rules: (RuleInput & { Targets: Target[] })[] }>(join(dir, 'rules.json'));
    for (const rule of saved?.rules ?? []) {
      if (!this.buses.has(rule.EventBusName ?? 'default') || this.rules.get(ruleKey(rule.EventBusName ?? 'default', rule.Name))?.declared) continue;
      this.putRule(rule, { save: false });
      this.rules.get(ruleKey(rule.EventBusName ?? 'default', rule.Name))!.targets = rule.Targets;
    }
    const pendingFile = join(dir, 'pending.jsonl');
    const pending = await readFile(pendingFile, 'utf8').catch(() => '');
    // Queuing them rewrites the file from the queue, so they stay in it until delivered.
    for (const line of pending.split('\n').filter(Boolean)) this.enqueue({ ...(JSON.parse(line) as Delivery), attempt: 1 });
  }

  busNames(): string[] {
    return [...this.buses];
  }

  busArn(bus: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${bus}`;
  }

  /**
   * PutRule: creates or updates; returns the rule ARN. `declared` rules come from the definitions: they are
   * not saved, so a trigger removed from a definition leaves no rule behind.
   */
  putRule(input: RuleInput, options: { declared?: boolean; save?: boolean } = {}): string {
    const bus = this.bus(input.EventBusName);
    if (typeof input.Name !== 'string' || !RULE_NAME.test(input.Name)) {
      throw new EventBridgeError('ValidationException', `1 validation error detected: Value '${input.Name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and length 1-64`);
    }
    if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
      throw new EventBridgeError('ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    let matcher: EventMatcher | undefined;
    if (input.EventPattern !== undefined) {
      const problems = validateEventPattern(input.EventPattern);
      if (problems.length) throw new EventBridgeError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${problems.map((p) => p.message).join('; ')}`);
      matcher = compileEventPattern(input.EventPattern); // compiled once per rule
    }
    const key = ruleKey(bus, input.Name);
    const arn = `arn:aws:events:${this.region}:${this.account}:rule/${bus === 'default' ? '' : `${bus}/`}${input.Name}`;
    this.rules.set(key, {
      name: input.Name,
      bus,
      arn,
      pattern: input.EventPattern,
      scheduleExpression: input.ScheduleExpression,
      state: input.State ?? 'ENABLED',
      description: input.Description,
      matcher,
      declared: options.declared ?? false,
      targets: this.rules.get(key)?.targets ?? [],
    });
    if (options.save !== false) this.save();
    return arn;
  }

  /** DeleteRule: idempotent; refused while the rule has targets. */
  deleteRule(name: string, busName?: string): void {
    const key = ruleKey(this.bus(busName), name);
    const rule = this.rules.get(key);
    if (!rule) return;
    if (rule.targets.length) throw new EventBridgeError('ValidationException', "Rule can't be deleted since it has targets.");
    this.rules.delete(key);
    this.save();
  }

  describeRule(name: string, busName?: string): RuleDescription {
    return describe(this.rule(name, busName));
  }

  listRules(busName?: string, namePrefix = ''): RuleDescription[] {
    const bus = this.bus(busName);
    return [...this.rules.values()].filter((r) => r.bus === bus && r.name.startsWith(namePrefix)).sort((a, b) => a.name.localeCompare(b.name)).map(describe);
  }

  /** PutTargets: adds or replaces targets by Id; returns the entries it refused. */
  putTargets(ruleName: string, busName: string | undefined, targets: readonly Target[]): { TargetId: string; ErrorCode: string; ErrorMessage: string }[] {
    const rule = this.rule(ruleName, busName);
    const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const target of targets) {
      const given = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length;
      if (!target.Id || !target.Arn) {
        failed.push({ TargetId: target.Id ?? '', ErrorCode: 'ValidationException', ErrorMessage: 'Target Id and Arn are required.' });
        continue;
      }
      if (given > 1) {
        failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: 'Only one of Input, InputPath, or InputTransformer can be provided.' });
        continue;
      }
      if (target.Input !== undefined && !isJson(target.Input)) {
        failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: 'Input is not valid JSON text.' });
        continue;
      }
      const others = rule.targets.filter((t) => t.Id !== target.Id);
      if (others.length >= MAX_TARGETS_PER_RULE) {
        failed.push({ TargetId: target.Id, ErrorCode: 'LimitExceededException', ErrorMessage: `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).` });
        continue;
      }
      rule.targets = [...others, { ...target }];
    }
    this.save();
    return failed;
  }

  removeTargets(ruleName: string, busName: string | undefined, ids: readonly string[]): void {
    const rule = this.rule(ruleName, busName);
    rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
    this.save();
  }

  listTargets(ruleName: string, busName?: string): Target[] {
    return this.rule(ruleName, busName).targets.map((t) => ({ ...t }));
  }

  /**
   * PutEvents: validates each entry as EventBridge does, and queues every matching target's delivery of
   * the accepted ones. Throws a ValidationException when no entry carries Source, DetailType and Detail
   * ("If you submit a request in which none of the entries have each of these properties, EventBridge fails
   * the entire request", https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html).
   */
  putEvents(entries: readonly PutEventsEntry[]): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new EventBridgeError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`);
    }
    if (!entries.some((e) => e.Source && e.DetailType && e.Detail)) {
      throw new EventBridgeError('ValidationException', 'Parameters Detail, DetailType, and Source are required for at least one entry.');
    }
    const results = entries.map((entry) => this.accept(entry));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  /** Resolves when nothing is queued, waiting for a retry or running. */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.waiting.size === 0 && this.running.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once every write queued so far is done (or has failed and been reported). */
  async flush(): Promise<void> {
    await this.saving;
  }

  /** Waits for deliveries running now; those queued or waiting for a retry are kept in `pending.jsonl`. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.waiting.values()) if (handle !== undefined) this.clock.clearTimeout(handle);
    while (this.running.size) await Promise.all([...this.running.keys()]);
    this.savePending();
    await this.saving;
  }

  private accept(entry: PutEventsEntry): PutEventsResultEntry {
    const fail = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) return fail('InvalidArgument', 'Parameters Detail, DetailType, and Source are required.');
    const bus = busNameOf(entry.EventBusName);
    if (!this.buses.has(bus)) return fail('NotFoundException', `Event bus ${bus} does not exist.`);
    if (entry.DetailType.length > MAX_DETAIL_TYPE) return fail('InvalidArgument', `DetailType is longer than ${MAX_DETAIL_TYPE} characters.`);
    if (entry.Source.startsWith('aws.')) return fail('NotAuthorizedForSourceException', `Not authorized for the source ${entry.Source}.`);
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
    const size = 14 + Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail) + (entry.Resources ?? []).reduce((n, r) => n + Buffer.byteLength(r), 0);
    if (size > MAX_ENTRY_BYTES) return fail('InvalidArgument', `Event entry is ${size} bytes; the limit is ${MAX_ENTRY_BYTES}.`);
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return fail('MalformedDetail', 'Detail is malformed.');
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return fail('MalformedDetail', 'Detail is malformed.');

    const now = new Date(this.clock.now());
    const event: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.account,
      time: isoSeconds(entry.Time ? new Date(entry.Time) : now),
      region: this.region,
      resources: [...(entry.Resources ?? [])],
      detail: detail as Record<string, unknown>,
    };
    const ingestionTime = now.toISOString();
    for (const rule of this.rules.values()) {
      if (rule.bus !== bus || rule.state !== 'ENABLED' || !rule.matcher || !rule.matcher(event)) continue;
      for (const target of rule.targets) {
        const payload = targetInput(event as unknown as Record<string, unknown>, target, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime });
        this.enqueue({ eventId: event.id, rule: rule.name, ruleArn: rule.arn, bus, target, payload, attempt: 1 });
      }
    }
    return { EventId: event.id };
  }

  private enqueue(delivery: Delivery): void {
    this.queue.push(delivery);
    this.pump();
    this.savePending();
  }

  private pump(): void {
    const limit = this.props.concurrency ?? 16;
    while (!this.stopped && this.running.size < limit && this.queue.length) {
      const delivery = this.queue.shift()!;
      const run = this.deliver(delivery).finally(() => {
        this.running.delete(run);
        this.savePending();
        this.pump();
        this.notifyIdle();
      });
      this.running.set(run, delivery);
    }
    this.notifyIdle();
  }

  private async deliver(delivery: Delivery): Promise<void> {
    try {
      await this.props.invoke(delivery);
    } catch (error) {
      const maxAttempts = this.props.maxAttempts ?? 5;
      if (delivery.attempt >= maxAttempts || this.stopped) {
        if (this.stopped && delivery.attempt < maxAttempts) {
          this.waiting.set({ ...delivery, attempt: delivery.attempt + 1 }, undefined);
          return;
        }
        await this.deadLetter(delivery, error);
        return;
      }
      const wait = Math.min(this.props.retryMaxMs ?? 10_000, (this.props.retryBaseMs ?? 200) * 2 ** (delivery.attempt - 1));
      const next: Delivery = { ...delivery, attempt: delivery.attempt + 1 };
      const handle = this.clock.setTimeout(() => {
        this.waiting.delete(next);
        this.enqueue(next);
      }, wait);
      this.waiting.set(next, handle);
    }
  }

  private async deadLetter(delivery: Delivery, error: unknown): Promise<void> {
    const record = { ...delivery, failedAt: new Date(this.clock.now()).toISOString(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    const dir = this.props.dataDir;
    if (!dir) {
      process.emitWarning(`event ${delivery.eventId} to ${delivery.target.Arn} dead-lettered: ${record.error}`);
      return;
    }
    try {
      await mkdir(dir, { recursive: true });
      await appendFile(join(dir, 'dead-letters.jsonl'), JSON.stringify(record) + '\n');
    } catch (appendError) {
      this.reportError(`dead-lettering ${JSON.stringify(record)} failed`, appendError);
    }
  }

  private notifyIdle(): void {
    if (this.queue.length || this.waiting.size || this.running.size) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private bus(name: string | undefined): string {
    const bus = busNameOf(name);
    if (!this.buses.has(bus)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
    return bus;
  }

  private rule(name: string, busName: string | undefined): Rule {
    const bus = this.bus(busName);
    const rule = this.rules.get(ruleKey(bus, name));
    if (!rule) throw new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }

  /** Writes rules and targets after every change, one write at a time, through a temporary file. */
  private save(): void {
    const dir = this.props.dataDir;
    if (!dir) return;
    const rules = [...this.rules.values()].filter((r) => !r.declared).map((r) => ({ ...ruleInput(r), Targets: r.targets }));
    const file = join(dir, 'rules.json');
    this.chain(`writing ${file}`, async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify({ rules }, null, 2));
      await rename(`${file}.tmp`, file);
    });
  }

  /**
   * Rewrites `pending.jsonl` with every delivery not yet done (queued, running, waiting for a retry), after the
   * writes already queued; removes it when there is none. Changes made before the rewrite starts share it.
   */
  private savePending(): void {
    const dir = this.props.dataDir;
    if (!dir || this.pendingSaveQueued) return;
    this.pendingSaveQueued = true;
    const file = join(dir, 'pending.jsonl');
    this.chain(`writing ${file}`, async () => {
      this.pendingSaveQueued = false;
      const left = [...this.queue, ...this.running.values(), ...this.waiting.keys()];
      if (left.length === 0) {
        await rm(file, { force: true });
        return;
      }
      await mkdir(dir, { recursive: true });
      await writeFile(`${file}.tmp`, left.map((d) => JSON.stringify(d) + '\n').join(''));
      await rename(`${file}.tmp`, file);
    });
  }

  /** Queues a write after the previous ones; its failure is reported and does not stop the writes after it. */
  private chain(what: string, write: () => Promise<void>): void {
    this.saving = this.saving.then(write).catch((error: unknown) => this.reportError(`${what} failed`, error));
  }

  private reportError(message: string, error: unknown): void {
    if (this.props.onError) this.props.onError(message, error);
    else console.error(`EventBridge offline: ${message}:`, error);
  }
}

function ruleInput(r: Rule): RuleInput {
  return { Name: r.name, EventBusName: r.bus, EventPattern: r.pattern, ScheduleExpression: r.scheduleExpression, State: r.state, Description: r.description };
}

function describe(r: Rule): RuleDescription {
  return {
    Name: r.name,
    Arn: r.arn,
    EventBusName: r.bus,
    ...(r.pattern !== undefined ? { EventPattern: r.pattern } : {}),
    ...(r.scheduleExpression !== undefined ? { ScheduleExpression: r.scheduleExpression } : {}),
    State: r.state,
    ...(r.description !== undefined ? { Description: r.description } : {}),
  };
}

function ruleKey(bus: string, name: string): string {
  return `${bus}/${name}`;
}

/** A bus given by name or by ARN (`arn:aws:events:...:event-bus/<name>`). */
function busNameOf(name: string | undefined): string {
  if (!name) return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(name);
  return arn ? arn[1] : name;
}

/** EventBridge event times are whole seconds: `2017-12-22T18:43:48Z`. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
