import { describe, expect, it } from 'vitest';
import { parse, UsageError } from '../../cli/args.ts';
import { StepflowError } from '../../core/errors.ts';

describe('parse', () => {
  it('GIVEN an unknown option THEN it throws a UsageError, a StepflowError coded UsageError', () => {
    let thrown: unknown;
    try {
      parse(['--nope'], { plan: { type: 'boolean' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toBeInstanceOf(StepflowError);
    expect(thrown).toMatchObject({ name: 'UsageError', code: 'UsageError' });
  });
});
