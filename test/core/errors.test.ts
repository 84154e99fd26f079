import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../../core/compiler/graph.ts';
import { compileTriggers } from '../../core/compiler/triggers.ts';
import type { Diagnostic } from '../../core/definition/diagnostics.ts';
import {
  BadRequest, ConfigurationError, Conflict, DefinitionError, HttpError, InvalidPlanError, MethodNotAllowed, NON_RETRIABLE_ERROR_NAMES,
  NonRetriableError, NotFound, PayloadTooLarge, RetryableError, ServiceNotFound, ServiceRejected, ServiceUnavailable, StepflowError,
  normaliseCause,
} from '../../core/errors.ts';
import { InvalidEventPatternError, InvalidScheduleError, SchedulingError } from '../../core/scheduling/errors.ts';

describe('errors', () => {
  it('names every runtime error for ASL ErrorEquals and keeps the cause', () => {
    const cause = new Error('root');
    const errors = [
      new NonRetriableError('x', { cause }), new RetryableError('x', { cause }), new ServiceUnavailable('x', { cause }),
      new ServiceRejected('x', 400, { cause }), new ServiceNotFound('x', { cause }),
    ];
    expect(errors.map((e) => e.name)).toEqual(['NonRetriableError', 'RetryableError', 'ServiceUnavailable', 'ServiceRejected', 'ServiceNotFound']);
    for (const error of errors) {
      expect(error).toBeInstanceOf(StepflowError);
      expect(error.cause).toBe(cause);
    }
  });

  it('gives each HTTP error its status and code', () => {
    expect([new BadRequest('x'), new NotFound('x'), new Conflict('x'), new PayloadTooLarge('x')].map((e) => [e.statusCode, e.code])).toEqual([
      [400, 'bad_request'], [404, 'not_found'], [409, 'conflict'], [413, 'payload_too_large'],
    ]);
    expect(new BadRequest('x', { code: 'invalid_input', details: [1] })).toMatchObject({ code: 'invalid_input', details: [1] });
  });
});

describe('the error hierarchy', () => {
  const problem = { code: 'invalid_cron', path: [], message: 'bad' };
  // [name, code, error, its parent class]
  const hierarchy: [string, string, StepflowError, abstract new (...args: never[]) => Error][] = [
    ['StepflowError', 'StepflowError', new StepflowError('x'), Error],
    ['NonRetriableError', 'NonRetriableError', new NonRetriableError('x'), StepflowError],
    ['RetryableError', 'RetryableError', new RetryableError('x'), StepflowError],
    ['ServiceUnavailable', 'ServiceUnavailable', new ServiceUnavailable('x'), StepflowError],
    ['ServiceRejected', 'ServiceRejected', new ServiceRejected('x', 404), StepflowError],
    ['ServiceNotFound', 'ServiceNotFound', new ServiceNotFound('x'), StepflowError],
    ['ConfigurationError', 'ConfigurationError', new ConfigurationError('x'), StepflowError],
    ['DefinitionError', 'DefinitionError', new DefinitionError('x'), StepflowError],
    ['InvalidPlanError', 'InvalidPlanError', new InvalidPlanError('x'), StepflowError],
    ['SchedulingError', 'SchedulingError', new SchedulingError('x'), StepflowError],
    ['InvalidEventPatternError', 'InvalidEventPatternError', new InvalidEventPatternError([problem]), SchedulingError],
    ['InvalidScheduleError', 'InvalidScheduleError', new InvalidScheduleError([problem]), SchedulingError],
    ['BadRequest', 'bad_request', new BadRequest('x'), HttpError],
    ['NotFound', 'not_found', new NotFound('x'), HttpError],
    ['MethodNotAllowed', 'method_not_allowed', new MethodNotAllowed('x'), HttpError],
    ['Conflict', 'conflict', new Conflict('x'), HttpError],
    ['PayloadTooLarge', 'payload_too_large', new PayloadTooLarge('x'), HttpError],
  ];

  it.each(hierarchy)('%s has the code %s and is a StepflowError', (name, code, error, parent) => {
    expect(error).toBeInstanceOf(StepflowError);
    expect(error).toBeInstanceOf(parent);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
  });

  it('gives every error its own name: ASL matches names exactly, so no two kinds may share one', () => {
    const names = hierarchy.map(([, , error]) => error.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists exactly the non-retriable errors by their names, as the compiler puts them in the first retrier', () => {
    expect([new NonRetriableError('x'), new ServiceRejected('x', 400), new ServiceNotFound('x')].map((e) => e.name)).toEqual([...NON_RETRIABLE_ERROR_NAMES]);
  });

  it('takes a code that overrides the name, and a subclass that sets its name after super() gets it as code', () => {
    class Late extends StepflowError {
      constructor() {
        super('late');
        this.name = 'LateName';
      }
    }
    expect(new StepflowError('x', { code: 'custom_code' })).toMatchObject({ name: 'StepflowError', code: 'custom_code' });
    expect(new Late().code).toBe('LateName');
    expect(JSON.parse(JSON.stringify(new BadRequest('x', { code: 'invalid_input' })))).toMatchObject({ code: 'invalid_input' });
  });

  it('carries the diagnostics of a definition error, none when not given', () => {
    const diagnostics: Diagnostic[] = [{ code: 'cycle', severity: 'error', path: ['workflow', 'tasks', 0], message: 'a depends on itself' }];
    expect(new DefinitionError('has errors', { diagnostics }).diagnostics).toEqual(diagnostics);
    expect(new DefinitionError('has errors').diagnostics).toEqual([]);
  });

  it('GIVEN a definition that skipped validation WHEN compiled THEN the compiler throws DefinitionError', () => {
    expect(() => topologicalOrder(new Map([['a', ['b']], ['b', ['a']]]))).toThrow(DefinitionError);
    let thrown: unknown;
    try {
      compileTriggers([{ kind: 'schedule', name: 'nightly', expression: 'cron(99 * * * ? *)', timezone: 'UTC', input: {}, enabled: true }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DefinitionError);
    expect((thrown as DefinitionError).cause).toBeInstanceOf(InvalidScheduleError);
  });
});

describe('normaliseCause', () => {
  it('returns the errorMessage of a Lambda error envelope', () => {
    expect(normaliseCause(JSON.stringify({ errorType: 'RetryableError', errorMessage: 'source down', trace: ['at x'] }))).toBe('source down');
  });

  it('returns any other cause as it is', () => {
    expect(normaliseCause('States.Timeout after 300s')).toBe('States.Timeout after 300s');
    expect(normaliseCause('{"other":"json"}')).toBe('{"other":"json"}');
    expect(normaliseCause(undefined)).toBeUndefined();
  });
});
