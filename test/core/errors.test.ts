import { describe, expect, it } from 'vitest';
import {
  BadRequest, Conflict, NonRetriableError, NotFound, PayloadTooLarge, RetryableError, ServiceNotFound, ServiceRejected,
  ServiceUnavailable, StepflowError, normaliseCause,
} from '../../core/errors.ts';

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
