import { systemClock, type Clock } from '../../clock.ts';
import { targetInput } from '../../scheduling/target-input.ts';
import { DeliveryQueue, type Delivery, type TargetInvoker } from './delivery-queue.ts';
import { acceptEntry, busNameOf, MAX_ENTRIES, type PutEventsEntry, type PutEventsResultEntry } from './event-entry.ts';
import { EventBusStore } from './event-bus-store.ts';
import { EventBridgeError } from './eventbridge-error.ts';
import { describeRule, EventRules, type FailedTarget, type Rule, type RuleDescription, type RuleInput, type Target } from './rules.ts';

/** A delivery that failed every try, as `dead-letters.jsonl` keeps it. */
export type DeadLetter = Delivery & {
  readonly failedAt: string;
  readonly error: string;
  /** The target's dead-letter queue; absent when it has none (EventBridge drops the event). */
  readonly deadLetterArn?: string;
};

/** Dead-lettered deliveries `deadLetters()` lists; older ones stay in the file. */
const MAX_DEAD_LETTERS_IN_MEMORY = 1000;

export interface LocalEventBusProps {
  readonly invoke: TargetInvoker;
  /** Buses besides `default` (the project bus). @default [] */
  readonly buses?: readonly string[];
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly account?: string;
  /** @default systemClock */
  readonly clock?: Clock;
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
  private readonly clock: Clock;
  private readonly buses: Set<string>;
  private readonly rules: EventRules;
  private readonly deliveries: DeliveryQueue;
  private readonly store?: EventBusStore;
  /** The newest dead-lettered deliveries (all of them are in `dead-letters.jsonl`). */
  private readonly deadLettered: DeadLetter[] = [];
  /** Errors the next PutEvents entries are answered with (tests). */
  private readonly entryFaults: { readonly ErrorCode: string; readonly ErrorMessage: string }[] = [];

  constructor(private readonly props: LocalEventBusProps) {
    this.region = props.region ?? 'us-east-1';
    this.account = props.account ?? '000000000000';
    this.clock = props.clock ?? systemClock;
    this.buses = new Set(['default', ...(props.buses ?? [])]);
    this.rules = new EventRules(this.region, this.account);
    const onError = (message: string, error: unknown) => {
      if (props.onError) props.onError(message, error);
      else console.error(`EventBridge offline: ${message}:`, error);
    };
    this.store = props.dataDir ? new EventBusStore({ dataDir: props.dataDir, onError }) : undefined;
    this.deliveries = new DeliveryQueue({
      invoke: props.invoke,
      clock: this.clock,
      maxAttempts: props.maxAttempts,
      retryBaseMs: props.retryBaseMs,
      retryMaxMs: props.retryMaxMs,
      concurrency: props.concurrency,
      onChange: () => this.store?.savePending(() => this.deliveries.pending()),
      deadLetter: (delivery, error) => this.deadLetter(delivery, error),
    });
  }

  /** Loads saved rules and replays deliveries left pending by the previous run. */
  async load(): Promise<void> {
    if (!this.store) return;
    for (const rule of await this.store.loadRules()) {
      const bus = rule.EventBusName ?? 'default';
      if (!this.buses.has(bus) || this.rules.isDeclared(bus, rule.Name)) continue;
      this.rules.put(bus, rule, false);
      this.rules.get(bus, rule.Name).targets = rule.Targets;
    }
    for (const record of await this.store.loadDeadLetters()) this.remember(record);
    // Queuing them rewrites the file from the queue, so they stay in it until delivered.
    for (const delivery of await this.store.loadPending()) this.deliveries.enqueue({ ...delivery, attempt: 1 });
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
    const arn = this.rules.put(this.bus(input.EventBusName), input, options.declared ?? false);
    if (options.save !== false) this.saveRules();
    return arn;
  }

  /** DeleteRule: idempotent; refused while the rule has targets. */
  deleteRule(name: string, busName?: string): void {
    if (this.rules.delete(this.bus(busName), name)) this.saveRules();
  }

  describeRule(name: string, busName?: string): RuleDescription {
    return describeRule(this.rule(name, busName));
  }

  listRules(busName?: string, namePrefix = ''): RuleDescription[] {
    return this.rules.list(this.bus(busName), namePrefix);
  }

  /** PutTargets: adds or replaces targets by Id; returns the entries it refused. */
  putTargets(ruleName: string, busName: string | undefined, targets: readonly Target[]): FailedTarget[] {
    const failed = this.rules.putTargets(this.rule(ruleName, busName), targets);
    this.saveRules();
    return failed;
  }

  removeTargets(ruleName: string, busName: string | undefined, ids: readonly string[]): void {
    const rule = this.rule(ruleName, busName);
    rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
    this.saveRules();
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

  /**
   * Answers the next PutEvents entry with this error, and does not take it, as EventBridge does with an
   * entry it could not take (`InternalFailure`, `ThrottlingException`). For tests; several queue up in order.
   */
  failNextEntry(errorCode: string, errorMessage = 'injected fault'): void {
    this.entryFaults.push({ ErrorCode: errorCode, ErrorMessage: errorMessage });
  }

  /** Resolves when nothing is queued, waiting for a retry or running. */
  drain(): Promise<void> {
    return this.deliveries.drain();
  }

  /** Resolves once every write queued so far is done (or has failed and been reported). */
  async flush(): Promise<void> {
    await this.store?.flush();
  }

  /** Waits for deliveries running now; those queued or waiting for a retry are kept in `pending.jsonl`. */
  async stop(): Promise<void> {
    await this.deliveries.stop();
    this.store?.savePending(() => this.deliveries.pending());
    await this.flush();
  }

  private accept(entry: PutEventsEntry): PutEventsResultEntry {
    const fault = this.entryFaults.shift();
    if (fault) return fault;
    const now = new Date(this.clock.now());
    const accepted = acceptEntry(entry, { region: this.region, account: this.account, now, busExists: (bus) => this.buses.has(bus) });
    if ('ErrorCode' in accepted) return accepted;
    const { bus, event } = accepted;
    const ingestionTime = now.toISOString();
    for (const rule of this.rules.matching(bus, event)) {
      for (const target of rule.targets) {
        const payload = targetInput(event as unknown as Record<string, unknown>, target, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime });
        this.deliveries.enqueue({ eventId: event.id, rule: rule.name, ruleArn: rule.arn, bus, target, payload, attempt: 1, eventTime: ingestionTime });
      }
    }
    return { EventId: event.id };
  }

  /**
   * Deliveries that failed every try, oldest first (those of earlier runs too, with a data folder); with a
   * queue ARN, only those sent to that dead-letter queue (the target's DeadLetterConfig).
   */
  deadLetters(queueArn?: string): DeadLetter[] {
    return this.deadLettered.filter((d) => queueArn === undefined || d.deadLetterArn === queueArn).map((d) => ({ ...d }));
  }

  private async deadLetter(delivery: Delivery, error: unknown): Promise<void> {
    const record: DeadLetter = {
      ...delivery,
      failedAt: new Date(this.clock.now()).toISOString(),
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ...(delivery.target.DeadLetterConfig?.Arn ? { deadLetterArn: delivery.target.DeadLetterConfig.Arn } : {}),
    };
    this.remember(record);
    if (!this.store) {
      process.emitWarning(`event ${delivery.eventId} to ${delivery.target.Arn} dead-lettered: ${record.error}`);
      return;
    }
    await this.store.deadLetter(record);
  }

  private remember(record: DeadLetter): void {
    this.deadLettered.push(record);
    if (this.deadLettered.length > MAX_DEAD_LETTERS_IN_MEMORY) this.deadLettered.shift();
  }

  private bus(name: string | undefined): string {
    const bus = busNameOf(name);
    if (!this.buses.has(bus)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
    return bus;
  }

  private rule(name: string, busName: string | undefined): Rule {
    return this.rules.get(this.bus(busName), name);
  }

  /** Writes rules and targets after every change, one write at a time. */
  private saveRules(): void {
    this.store?.saveRules(this.rules.saved());
  }
}
