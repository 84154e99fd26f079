import { compileEventPattern, validateEventPattern, type EventMatcher } from '../../../core/scheduling/event-pattern.ts';
import type { TargetInputSettings } from '../../scheduling/target-input.ts';
import type { EventEnvelope } from './event-entry.ts';
import { EventBridgeError } from './eventbridge-error.ts';

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
  /** How long and how often delivery is retried (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html). */
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
  /** The SQS queue a delivery goes to after its last try (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeadLetterConfig.html). */
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

/** A rule as it is saved: its input and its targets. */
export type SavedRule = RuleInput & { readonly Targets: Target[] };

export interface FailedTarget {
  readonly TargetId: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export interface Rule {
  readonly name: string;
  readonly bus: string;
  readonly arn: string;
  readonly pattern?: string;
  readonly scheduleExpression?: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly description?: string;
  readonly matcher?: EventMatcher;
  /** Re-created from the definitions at every start, so never saved. */
  readonly declared: boolean;
  targets: Target[];
}

/** https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html */
const MAX_TARGETS_PER_RULE = 5;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/**
 * The rules of every bus with their targets, validated as PutRule and PutTargets validate them. Buses are
 * the caller's to check: a bus name here is one that exists.
 */
export class EventRules {
  private readonly rules = new Map<string, Rule>();

  constructor(private readonly region: string, private readonly account: string) {}

  /** Creates or updates a rule, keeping its targets; returns its ARN. */
  put(bus: string, input: RuleInput, declared: boolean): string {
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
      declared,
      targets: this.rules.get(key)?.targets ?? [],
    });
    return arn;
  }

  /** Declared rules are not replaced by saved ones. */
  isDeclared(bus: string, name: string): boolean {
    return this.rules.get(ruleKey(bus, name))?.declared ?? false;
  }

  /** Idempotent; refused while the rule has targets. Returns whether a rule went. */
  delete(bus: string, name: string): boolean {
    const key = ruleKey(bus, name);
    const rule = this.rules.get(key);
    if (!rule) return false;
    if (rule.targets.length) throw new EventBridgeError('ValidationException', "Rule can't be deleted since it has targets.");
    this.rules.delete(key);
    return true;
  }

  get(bus: string, name: string): Rule {
    const rule = this.rules.get(ruleKey(bus, name));
    if (!rule) throw new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }

  list(bus: string, namePrefix = ''): RuleDescription[] {
    return [...this.rules.values()].filter((r) => r.bus === bus && r.name.startsWith(namePrefix)).sort((a, b) => a.name.localeCompare(b.name)).map(describeRule);
  }

  /** Adds or replaces targets by Id; returns the entries it refused. */
  putTargets(rule: Rule, targets: readonly Target[]): FailedTarget[] {
    const failed: FailedTarget[] = [];
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
      const problem = deliveryProblem(target);
      if (problem) {
        failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: problem });
        continue;
      }
      const others = rule.targets.filter((t) => t.Id !== target.Id);
      if (others.length >= MAX_TARGETS_PER_RULE) {
        failed.push({ TargetId: target.Id, ErrorCode: 'LimitExceededException', ErrorMessage: `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).` });
        continue;
      }
      rule.targets = [...others, { ...target }];
    }
    return failed;
  }

  /** Enabled rules of the bus whose pattern matches the event. */
  matching(bus: string, event: EventEnvelope): Rule[] {
    return [...this.rules.values()].filter((rule) => rule.bus === bus && rule.state === 'ENABLED' && rule.matcher !== undefined && rule.matcher(event));
  }

  /** Rules created through the API, as they are saved. */
  saved(): SavedRule[] {
    return [...this.rules.values()].filter((r) => !r.declared).map((r) => ({ ...ruleInput(r), Targets: r.targets }));
  }
}

export function describeRule(r: Rule): RuleDescription {
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

function ruleInput(r: Rule): RuleInput {
  return { Name: r.name, EventBusName: r.bus, EventPattern: r.pattern, ScheduleExpression: r.scheduleExpression, State: r.state, Description: r.description };
}

function ruleKey(bus: string, name: string): string {
  return `${bus}/${name}`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What PutTargets refuses in a RetryPolicy or DeadLetterConfig, by EventBridge's bounds. */
function deliveryProblem(target: Target): string | undefined {
  const retries = target.RetryPolicy?.MaximumRetryAttempts;
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= 185)) {
    return `RetryPolicy.MaximumRetryAttempts must be an integer from 0 to 185, got ${retries}.`;
  }
  const age = target.RetryPolicy?.MaximumEventAgeInSeconds;
  if (age !== undefined && !(Number.isInteger(age) && age >= 60 && age <= 86_400)) {
    return `RetryPolicy.MaximumEventAgeInSeconds must be an integer from 60 to 86400, got ${age}.`;
  }
  const queue = target.DeadLetterConfig?.Arn;
  if (target.DeadLetterConfig && !(typeof queue === 'string' && /^arn:[^:]+:sqs:[^:]+:\d{12}:[^:]+$/.test(queue))) {
    return `DeadLetterConfig.Arn must be the ARN of an SQS queue, got ${String(queue)}.`;
  }
  return undefined;
}
