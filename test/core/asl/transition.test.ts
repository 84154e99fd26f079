import { describe, expect, it } from 'vitest';
import { nextOf, transition, type AslState } from '../../../core/asl/index.ts';

describe('transition', () => {
  it('names the next state when there is one, and ends the scope otherwise', () => {
    expect(transition('b')).toEqual({ Next: 'b' });
    expect(transition(undefined)).toEqual({ End: true });
    expect(transition('')).toEqual({ End: true });
  });
});

describe('nextOf', () => {
  it('reads Next from the states that have it, and nothing from terminal or Choice states', () => {
    const states: Record<string, AslState> = {
      pass: { Type: 'Pass', Next: 'wait' },
      wait: { Type: 'Wait', Seconds: 1, End: true },
      choice: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 1, Next: 'pass' }], Default: 'fail' },
      fail: { Type: 'Fail', Error: 'Boom' },
    };
    expect(Object.values(states).map(nextOf)).toEqual(['wait', undefined, undefined, undefined]);
  });
});
