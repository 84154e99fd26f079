import type { ServiceDefinition } from '../../core/definition/model.ts';
import type { AggregateStrategy } from '../../core/definition/orchestration-model.ts';
import { ServiceRejected, ServiceUnavailable } from '../../core/errors.ts';
import type { ServiceOrchestrationRuntime } from './orchestrator.ts';

export interface AggregateRequest {
  readonly strategy: AggregateStrategy;
  readonly quorum: number;
  readonly services: readonly string[];
}

export interface PartialFailure {
  readonly error: string;
  readonly message: string;
}

/** What an aggregating task returns: the aggregated result, each service's answer, and each failure. */
export interface AggregateResult {
  readonly strategy: AggregateStrategy;
  readonly result: unknown;
  readonly results: Record<string, unknown>;
  readonly failures: Record<string, PartialFailure>;
}

/**
 * Calls every service at once and settles as the strategy says:
 * - merge: every service must answer; their object answers merged (later services win on a key), others under their name;
 * - all: waits for every one, succeeds if any did; result = answers by service;
 * - first_success: the first answer wins and the other calls are cancelled;
 * - quorum: settles at `quorum` answers (the rest cancelled), fails once that can no longer happen.
 * Failing, it throws ServiceUnavailable (retried) unless every failure was a 4xx (ServiceRejected).
 */
export function scatterGather(runtime: ServiceOrchestrationRuntime, request: AggregateRequest, definitions: Readonly<Record<string, ServiceDefinition>>, body: unknown): Promise<AggregateResult> {
  const { strategy, services } = request;
  const needed = strategy === 'first_success' ? 1 : strategy === 'quorum' ? request.quorum : strategy === 'all' ? 1 : services.length;
  const waitForAll = strategy === 'all' || strategy === 'merge';
  const cancel = new AbortController();
  const results: Record<string, unknown> = {};
  const failures: Record<string, PartialFailure> = {};
  const errors: unknown[] = [];
  let settledCount = 0;

  return new Promise<AggregateResult>((resolve, reject) => {
    let done = false;
    const finish = () => {
      const successes = Object.keys(results).length;
      const outstanding = services.length - settledCount;
      if (done) return;
      if (!waitForAll && successes >= needed) {
        done = true;
        cancel.abort();
        resolve(build(strategy, services, results, failures));
      } else if (successes + outstanding < needed || (waitForAll && outstanding === 0 && successes < needed)) {
        done = true;
        cancel.abort();
        reject(aggregateError(strategy, needed, successes, failures, errors));
      } else if (waitForAll && outstanding === 0) {
        done = true;
        resolve(build(strategy, services, results, failures));
      }
    };
    for (const name of services) {
      runtime.call({ name, definition: definitions[name] }, body, definitions, cancel.signal).then(
        (answer) => {
          settledCount++;
          if (!done) results[name] = answer;
          finish();
        },
        (error: unknown) => {
          settledCount++;
          if (!done) {
            failures[name] = { error: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error) };
            errors.push(error);
          }
          finish();
        },
      );
    }
  });
}

function build(strategy: AggregateStrategy, services: readonly string[], results: Record<string, unknown>, failures: Record<string, PartialFailure>): AggregateResult {
  let result: unknown;
  if (strategy === 'merge') {
    const merged: Record<string, unknown> = {};
    for (const name of services) {
      const answer = results[name];
      if (answer !== null && typeof answer === 'object' && !Array.isArray(answer)) Object.assign(merged, answer);
      else merged[name] = answer;
    }
    result = merged;
  } else if (strategy === 'first_success') {
    result = Object.values(results)[0];
  } else {
    result = { ...results };
  }
  return { strategy, result, results, failures };
}

function aggregateError(strategy: AggregateStrategy, needed: number, successes: number, failures: Record<string, PartialFailure>, errors: unknown[]): Error {
  const listed = Object.entries(failures).map(([name, f]) => `${name}: ${f.error}: ${f.message}`).join('; ');
  const message = `aggregate ${strategy} needed ${needed} answer(s), got ${successes}; failures: ${listed}`;
  if (errors.length > 0 && errors.every((e) => e instanceof ServiceRejected)) return new ServiceRejected(message, (errors[0] as ServiceRejected).status);
  return new ServiceUnavailable(message);
}
